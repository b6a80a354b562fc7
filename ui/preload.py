"""Let the browser fetch a page's layout and callbacks while it still runs the scripts."""


def links(prefix):
    """Return the <link rel=preload> tags of a Dash page under Dash's URL prefix."""
    # As dash-renderer fetches them (same-origin, cookies): the browser hands it these responses.
    return "\n".join(f'<link rel="preload" href="{prefix}{endpoint}" as="fetch" crossorigin="anonymous">'
                     for endpoint in ("_dash-layout", "_dash-dependencies"))


def init_app(dash_app):
    """Add the preload tags to every index page dash_app serves."""
    interpolate = dash_app.interpolate_index

    def interpolate_index(**parts):
        """Return Dash's index page with the preload tags after the stylesheets."""
        parts["css"] = parts.get("css", "") + "\n" + links(dash_app.config.requests_pathname_prefix)
        return interpolate(**parts)

    dash_app.interpolate_index = interpolate_index
