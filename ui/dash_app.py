"""Mount the Dash multi-page app on the Flask server."""
import threading
from pathlib import Path

import dash
from dash.exceptions import DependencyException
from flask import current_app
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import NotFound

from auth import gate
from auth.access import CALLBACK, PAGE, PUBLIC, declare_routes
from ui import not_found, preload, shell

ROOT = Path(__file__).resolve().parent.parent
# Access of the routes Dash registers: its shell and bundles are public, a callback is judged by the
# callback it names (auth.gate.callback_access) and a page URL by the page (auth.gate.page_access).
DASH_ROUTES = {
    "/_dash-layout": PUBLIC, "/_dash-dependencies": PUBLIC, "/_reload-hash": PUBLIC, "/_favicon.ico": PUBLIC,
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": PUBLIC,
    "_dash_assets.static": PUBLIC,
    "/_dash-update-component": CALLBACK,
    "/": PAGE, "/<path:path>": PAGE,
}
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


def _unknown_asset(_error):
    """Answer a request for a component-suite file Dash does not serve with a 404, not a 500."""
    return NotFound()


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
    existing = list(server.before_request_funcs.get(None, []))
    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(server.config.get("PAGES_FOLDER", ROOT / "pages")),
        assets_folder=str(ROOT / "assets"),
        external_stylesheets=STYLESHEETS,
        suppress_callback_exceptions=True,
        title="beanflows",
        update_title=None,
        serve_locally=True,
    )
    # A language for screen readers; Dash's default page has none.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = shell.layout
    declare_routes(server, DASH_ROUTES)
    shell.register(app)
    preload.init_app(app)
    # Each page's declaration (callbacks.page.Page) registers its callbacks and their access levels.
    for entry in dash.page_registry.values():
        if entry.get("declaration") is not None:
            entry["declaration"].register(app)
    gate.check_declared(app)
    # Dash sets itself up (callbacks, page router) in its first requests and flags that
    # at the start: a second thread of a gthread worker would then find no callbacks yet.
    dash_hooks = [f for f in server.before_request_funcs[None] if f not in existing]
    server.before_request_funcs[None].insert(0, _serialised(dash_hooks))
    server.after_request(_set_csrf_cookie)
    server.after_request(not_found.status)
    server.register_error_handler(DependencyException, _unknown_asset)
    return app
