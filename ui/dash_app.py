"""Mount the Dash multi-page app on the Flask server."""
from pathlib import Path

import dash
from flask import current_app
from flask_wtf.csrf import generate_csrf

import callbacks
from ui import shell

ROOT = Path(__file__).resolve().parent.parent
STYLESHEETS = [
    "/bootstrap/static/css/bootstrap.min.css",
    "/bootstrap/static/css/font/bootstrap-icons.min.css",
]


def _set_csrf_cookie(response):
    """Give the browser the CSRF token that dash-renderer sends as X-CSRFToken."""
    if response.mimetype != "text/html":
        return response
    response.set_cookie(
        "_csrf_token",
        generate_csrf(),
        samesite="Strict",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def mount(server):
    """Create the Dash app on server and return it."""
    callbacks.restore()
    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        external_stylesheets=STYLESHEETS,
        suppress_callback_exceptions=True,
        title="beanflows",
        update_title=None,
        serve_locally=True,
    )
    app.layout = shell.layout
    server.after_request(_set_csrf_cookie)
    return app
