"""Serve each page only the JavaScript it uses: no dash_table, dash-ag-grid once a grid renders."""
import os
import sys

import dash_ag_grid
from dash import dash_table
from dash.fingerprint import build_fingerprint

GRID_META = "beanflows-grid-bundle"  # read by assets/grid-lazy.js
GRID_BUNDLE = "dash_ag_grid.min.js"
TABLE_BUNDLE = "dash_table/bundle.js"


def _entry(library, path):
    """Return the _js_dist entry of library's file at path."""
    return next(r for r in library._js_dist if r.get("relative_package_path") == path)


def _suite_url(dash_app, resource):
    """Return the fingerprinted URL at which Dash serves a component library's file."""
    namespace, path = resource["namespace"], resource["relative_package_path"]
    module = sys.modules[namespace]
    modified = int(os.stat(os.path.join(os.path.dirname(module.__file__), path)).st_mtime)
    fingerprint = build_fingerprint(path, module.__version__, modified)
    return f"{dash_app.config.requests_pathname_prefix}_dash-component-suites/{namespace}/{fingerprint}"


def init_app(dash_app):
    """Leave dash_table and dash-ag-grid out of the page; name the grid bundle for the lazy loader."""
    # Dynamic: still registered and served, but no <script> tag in the page.
    _entry(dash_table, TABLE_BUNDLE)["dynamic"] = True
    grid = _entry(dash_ag_grid, GRID_BUNDLE)
    grid["dynamic"] = True
    dash_app.config.meta_tags.append({"name": GRID_META, "content": _suite_url(dash_app, grid)})
