"""Let the browser fetch a page's layout, callbacks and chart code while it still runs the scripts."""
from flask import request

DASHBOARDS = "/dashboards/"
# dcc's code-split chunks the dashboards render (graphs, dropdowns, sliders); unasked, they are fetched only
# after the layout has arrived and rendered.
CHUNKS = ("async-graph.js", "async-dropdown.js", "async-slider.js")


def links(prefix, path):
    """Return the <link rel=preload> tags of the page at path, under Dash's URL prefix."""
    # As dash-renderer fetches them (same-origin, cookies): the browser hands it these responses.
    tags = [f'<link rel="preload" href="{prefix}{endpoint}" as="fetch" crossorigin="anonymous">'
            for endpoint in ("_dash-layout", "_dash-dependencies")]
    if path.startswith(DASHBOARDS):
        tags += [f'<link rel="preload" href="{prefix}_dash-component-suites/dash/dcc/{chunk}" as="script">'
                 for chunk in CHUNKS]
    return "\n".join(tags)


def init_app(dash_app):
    """Add the preload tags to every index page dash_app serves."""
    interpolate = dash_app.interpolate_index

    def interpolate_index(**parts):
        """Return Dash's index page with the preload tags after the stylesheets."""
        parts["css"] = parts.get("css", "") + "\n" + links(dash_app.config.requests_pathname_prefix, request.path)
        return interpolate(**parts)

    dash_app.interpolate_index = interpolate_index
