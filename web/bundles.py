"""Leave component libraries out of the page until it renders one of their components, and drop the polyfill."""
import os
import sys

import dash_ag_grid
from dash import _dash_renderer, dash_table, dcc
from dash.fingerprint import build_fingerprint

# dcc's code-split chunks every dashboard renders (graphs, dropdowns, sliders).
EAGER_CHUNKS = ("dcc/async-graph.js", "dcc/async-dropdown.js", "dcc/async-slider.js")
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


def _drop_polyfill():
    """Leave @babel/polyfill out of the page: assets/regenerator-runtime.js gives what Dash needs of it."""
    # Every browser the product supports has what core-js polyfills, and core-js's stand-ins for native
    # functions (String.prototype.trim among them) cost a dashboard about 60 ms of script time.
    for dependency in _dash_renderer._js_dist_dependencies:
        paths = dependency["relative_package_path"]
        for mode in paths:
            paths[mode] = [path for path in paths[mode] if not path.startswith("deps/polyfill@")]


def _load_chunks_eagerly():
    """Put dcc's graph, dropdown and slider chunks in the page as plain scripts."""
    # Fetched on demand, each is requested only once React has rendered the layout, and each graph then
    # waits a suspended render and a retry before it draws.
    for resource in dcc._js_dist:
        if resource.get("relative_package_path") in EAGER_CHUNKS:
            resource["async"] = False


def init_app(dash_app):
    """Take each lazy library's bundle and the polyfill out of the page and name each library for the loader."""
    _drop_polyfill()
    _load_chunks_eagerly()
    for library, namespace, path, components in LAZY:
        resource = next(r for r in library._js_dist if r.get("relative_package_path") == path)
        resource["dynamic"] = True  # still registered and served, but no <script> tag
        content = f"{namespace} {','.join(components)} {_suite_url(dash_app, library, resource)}"
        dash_app.config.meta_tags.append({"name": LAZY_META, "content": content})
