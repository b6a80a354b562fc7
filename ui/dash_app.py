"""Mount the Dash multi-page app on the Flask server."""
from importlib.metadata import version
from pathlib import Path

import dash
from dash.exceptions import DependencyException
from flask import current_app
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import NotFound

import registry
from auth import access
from auth.access import CALLBACK, CALLBACK_PATH, PAGE, PUBLIC, Rule, declare_routes
from ui import bundles, dash_internals, not_found, preload, shell, vendor
from ui.callback_access import DashRequests

ROOT = Path(__file__).resolve().parent.parent
SUITES = "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
# Access of the routes Dash registers: its shell and bundles are public, a callback is judged by the
# callback it names and a page URL by the page (auth/access.py, reading them through ui/callback_access.py).
# Callbacks only read the user: they get the read-only view of the live-user record.
DASH_ROUTES = {
    "/_dash-layout": PUBLIC, "/_dash-dependencies": PUBLIC, "/_reload-hash": PUBLIC, "/_favicon.ico": PUBLIC,
    SUITES: PUBLIC,
    "_dash_assets.static": PUBLIC,
    CALLBACK_PATH: Rule(CALLBACK, reads_only=True),
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


def _stylesheets():
    """Return the page's stylesheets, Bootstrap-Flask's versioned by its version so browsers keep them."""
    tag = f"v={version('Bootstrap-Flask')}"
    return [f"{url}{'&' if '?' in url else '?'}{tag}" if url.startswith("/bootstrap/static/") else url
            for url in STYLESHEETS]


def mount(server):
    """Create the Dash app on server with the pages of its own PAGES_FOLDER, set it up and return it."""
    server.register_blueprint(vendor.bp)
    with dash_internals.pages_of(server):  # this app's page registry: another app in the process keeps its own
        app = dash.Dash(
            __name__,
            server=server,
            use_pages=True,
            pages_folder=str(server.config["PAGES_FOLDER"]),
            assets_folder=str(ROOT / "assets"),
            external_stylesheets=_stylesheets(),
            external_scripts=vendor.urls(),
            suppress_callback_exceptions=True,
            title="beanflows",
            update_title=None,
            serve_locally=True,
        )
        # A language for screen readers; Dash's default page has none.
        app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
        app.layout = shell.layout
        declare_routes(server, DASH_ROUTES)
        registry.of(server).dash = app
        access.read_dash(server, DashRequests(app))
        shell.register(app)
        preload.init_app(app)
        bundles.init_app(app)
        # Each page's declaration (callbacks.page.Page) registers its callbacks and their access levels.
        for entry in pages(server):
            if entry.get("declaration") is not None:
                entry["declaration"].register(app)
        dash_internals.set_up(app)
    server.after_request(_set_csrf_cookie)
    server.after_request(not_found.status)
    server.register_error_handler(DependencyException, _unknown_asset)
    return app


def pages(app=None):
    """Return the page registry entries of app's Dash (default: the current app's), in Dash's order."""
    return list((registry.of(app) if app is not None else registry.current()).dash_pages.values())


def static_files():
    """Return {endpoint: fn(view_args) -> (file, fingerprinted)} of the routes that send files Dash pages load."""
    return {SUITES: lambda args: dash_internals.suite_file(args.get("package_name"), args.get("fingerprinted_path")),
            "vendor.script": vendor.file_of}
