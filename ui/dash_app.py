"""Mount the Dash multi-page app on the Flask server."""
import threading
from pathlib import Path

import dash
from flask import current_app
from flask_wtf.csrf import generate_csrf

import callbacks
from ui import shell
from web import assets

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


def _serialised(hooks):
    """Return a before_request hook running hooks once, under a lock, before any request goes on."""
    lock = threading.Lock()
    done = []

    def run_once():
        if done:
            return
        with lock:
            if not done:
                for hook in hooks:
                    hook()
                done.append(True)

    return run_once


def mount(server):
    """Create the Dash app on server and return it."""
    callbacks.restore()
    existing = list(server.before_request_funcs.get(None, []))
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
    # Dash sets itself up (callbacks, page router) in its first requests and flags that
    # at the start: a second thread of a gthread worker would then find no callbacks yet.
    dash_hooks = [f for f in server.before_request_funcs[None] if f not in existing]
    server.before_request_funcs[None].insert(0, _serialised(dash_hooks))
    server.after_request(_set_csrf_cookie)
    assets.init_app(server, app)
    return app
