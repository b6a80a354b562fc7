"""Leave component libraries out of the page until it renders one of their components."""
import os
import sys

import dash_ag_grid
from dash import dash_table
from dash.fingerprint import build_fingerprint

LAZY_META = "beanflows-lazy-bundle"  # read by assets/lazy-bundles.js
# (library, namespace its components live in, main bundle, component names)
LAZY = [
    (dash_ag_grid, "dash_ag_grid", "dash_ag_grid.min.js", ["AgGrid"]),
    (dash_table, "dash_table", "dash_table/bundle.js", ["DataTable"]),
]


def _suite_url(dash_app, library, resource):
    """Return the fingerprinted URL at which Dash serves a component library's file."""
    namespace, path = resource["namespace"], resource["relative_package_path"]
    modified = int(os.stat(os.path.join(os.path.dirname(sys.modules[namespace].__file__), path)).st_mtime)
    fingerprint = build_fingerprint(path, library.__version__, modified)
    return f"{dash_app.config.requests_pathname_prefix}_dash-component-suites/{namespace}/{fingerprint}"


def init_app(dash_app):
    """Take each lazy library's bundle out of the page and name it for the loader."""
    for library, namespace, path, components in LAZY:
        resource = next(r for r in library._js_dist if r.get("relative_package_path") == path)
        resource["dynamic"] = True  # still registered and served, but no <script> tag
        content = f"{namespace} {','.join(components)} {_suite_url(dash_app, library, resource)}"
        dash_app.config.meta_tags.append({"name": LAZY_META, "content": content})
