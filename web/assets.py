"""Make pages light: only the scripts they use, compressed, and cached for a year when versioned."""
from web import bundles, compression


def init_app(server, dash_app):
    """Set up script selection on dash_app and compression and caching on server."""
    bundles.init_app(dash_app)
    compression.version_stylesheets(dash_app)
    compression.init_app(server)
