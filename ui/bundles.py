"""Leave component libraries out of the page until it renders one of their components, and drop the polyfill."""
import dash_ag_grid
from dash import dash_table, dcc

from ui import dash_internals

# dcc's code-split chunks every dashboard renders (graphs, dropdowns, sliders).
EAGER_CHUNKS = ("dcc/async-graph.js", "dcc/async-dropdown.js", "dcc/async-slider.js")
LAZY_META = "beanflows-lazy-bundle"  # read by the lazy-bundles patch (assets/patches.js)
# (library, namespace its components live in, main bundle, component names)
LAZY = [
    (dash_ag_grid, "dash_ag_grid", "dash_ag_grid.min.js", ["AgGrid"]),
    (dash_table, "dash_table", "dash_table/bundle.js", ["DataTable"]),
]


def init_app(dash_app):
    """Take each lazy library's bundle and the polyfill out of the page and name each library for the loader."""
    # Every browser the product supports has what @babel/polyfill's core-js polyfills, and its stand-ins
    # for native functions (String.prototype.trim among them) cost a dashboard about 60 ms of script time;
    # vendor/regenerator-runtime gives what Dash needs of it.
    dash_internals.drop_polyfill()
    # dcc's graph, dropdown and slider chunks as plain scripts: fetched on demand, each is requested only once
    # React has rendered the layout, and each graph then waits a suspended render and a retry before it draws.
    dash_internals.load_eagerly(dcc, EAGER_CHUNKS)
    for library, namespace, path, components in LAZY:
        url = dash_internals.leave_out(dash_app, library, path)  # still registered and served, but no <script> tag
        dash_app.config.meta_tags.append({"name": LAZY_META, "content": f"{namespace} {','.join(components)} {url}"})
