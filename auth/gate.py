"""One access gate for every request: pages, Dash endpoints, API, downloads, account."""
import json

from dash import _callback
from dash._pages import _path_to_page
from dash.dependencies import Output
from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from auth.access import ADMIN, PUBLIC, RANK, SUBSCRIBER, USER, allows, level

PUBLIC_PATHS = {
    "/login", "/signup", "/logout", "/reset", "/healthz", "/billing/webhook",
    "/_dash-layout", "/_dash-dependencies", "/_favicon.ico", "/_reload-hash",
}
PUBLIC_PREFIXES = ("/reset/", "/static/", "/assets/", "/bootstrap/", "/_dash-component-suites/")
USER_PATHS = {"/account"}
USER_PREFIXES = ("/account/", "/billing/")
API_PREFIX = "/api/"
CALLBACK_PATH = "/_dash-update-component"
DASH_PAGE_ENDPOINTS = {"/", "/<path:path>"}
# Dash's own page router; its access is that of the page it is asked to render.
ROUTER_OUTPUTS = {"_pages_content", "_pages_store"}
ROUTER_LOCATION = "_pages_location"
# Ids owned by the shell around every page.
SHELL_PREFIXES = {"shell": PUBLIC}
# CSV downloads (dcc.Download ids end in "-csv", see ui.ids.Chart) need a subscription on every page.
DOWNLOAD_SUFFIX = "-csv"


class Denied(Exception):
    """The request needs a level the user lacks (or no level can open it)."""


def dash_app():
    """Return the Dash app mounted on the current Flask server."""
    return current_app.view_functions["/_dash-layout"].__self__


def page_access(pathname):
    """Return the access level of the Dash page at pathname (the 404 page is public)."""
    relative = dash_app().strip_relative_path(pathname) or ""
    page, _ = _path_to_page(relative)
    if not page:
        return PUBLIC
    return page.get("access", ADMIN)


def prefix_access():
    """Return {id prefix: access}, one per page module plus the shell."""
    import dash

    access = {page["module"].split(".")[-1]: page.get("access", ADMIN) for page in dash.page_registry.values()}
    access.update(SHELL_PREFIXES)
    return access


def _id_prefix(component_id):
    """Return the page prefix of a component id (pattern ids use their 'type'), or None."""
    if isinstance(component_id, str) and component_id.startswith("{"):
        try:
            component_id = json.loads(component_id)
        except ValueError:
            return None
    if isinstance(component_id, dict):
        component_id = component_id.get("type")
    if not isinstance(component_id, str) or "-" not in component_id:
        return None
    return component_id.split("-", 1)[0]


def _callback_ids(entry):
    """Return every component id an entry of Dash's callback map reads or writes."""
    outputs = entry.get("output")
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    ids = [o.component_id for o in outputs if isinstance(o, Output)]
    ids += [spec.get("id") for spec in list(entry.get("inputs") or []) + list(entry.get("state") or [])]
    return ids


def _router_pathname(body):
    """Return the pathname the page router is asked for, or None."""
    for item in body.get("inputs") or []:
        if isinstance(item, dict) and item.get("id") == ROUTER_LOCATION and item.get("property") == "pathname":
            return item.get("value") if isinstance(item.get("value"), str) else None
    return None


def _is_router(key):
    """Return True when a callback key names Dash's page router."""
    if not key.startswith(".."):
        return False
    outputs = {part.rsplit(".", 1)[0] for part in key[2:-2].split("...")}
    return outputs == ROUTER_OUTPUTS


def callback_access(body):
    """Return the level a /_dash-update-component body needs; raise Denied for unknown callbacks."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        raise Denied
    key = body["output"]
    if _is_router(key):
        pathname = _router_pathname(body)
        if pathname is None:
            raise Denied
        return page_access(pathname)
    # Dash moves global callbacks into the app on its first request, which may be this one.
    entry = dash_app().callback_map.get(key) or _callback.GLOBAL_CALLBACK_MAP.get(key)
    if entry is None or entry.get("callback") is None:  # unknown, or run in the browser only
        raise Denied
    access_by_prefix = prefix_access()
    required = PUBLIC
    for component_id in _callback_ids(entry):
        access = access_by_prefix.get(_id_prefix(component_id))
        if access not in RANK:
            raise Denied
        if isinstance(component_id, str) and component_id.endswith(DOWNLOAD_SUFFIX):
            access = max(access, SUBSCRIBER, key=RANK.get)
        required = max(required, access, key=RANK.get)
    return required


def required_access():
    """Return the level the current request needs, or raise Denied."""
    path = request.path
    if path == CALLBACK_PATH:
        return callback_access(request.get_json(silent=True))
    if path.startswith(API_PREFIX):
        return SUBSCRIBER
    if request.endpoint in DASH_PAGE_ENDPOINTS:
        return page_access(path)
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return PUBLIC
    if path in USER_PATHS or path.startswith(USER_PREFIXES):
        return USER
    # Downloads and any route not named above are subscriber features.
    return SUBSCRIBER


def wants_json():
    """Return True for requests answered in JSON (API and Dash callbacks)."""
    return request.path.startswith(API_PREFIX) or request.path == CALLBACK_PATH


def _deny(anonymous, required=None):
    """Return the response for a request the user may not make."""
    if wants_json():
        if anonymous:
            response = jsonify(error="Log in or send a valid API token.")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="beanflows"'
            return response
        response = jsonify(error="Your account does not have access to this.")
        response.status_code = 403
        return response
    if anonymous:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    subscriber_feature = required == SUBSCRIBER and level(current_user) == USER
    return render_template(
        "auth/error.html",
        title="Subscriber feature" if subscriber_feature else "Not allowed",
        message=(
            "This page is part of the subscription. Subscribe from your account page to open it."
            if subscriber_feature else "Your account does not have access to this page."
        ),
        show_pricing=subscriber_feature,
    ), 403


def check_request():
    """Let the request through, or answer it with a redirect, 401 or 403."""
    if request.endpoint is None:
        return None  # Flask answers 404/405 itself
    try:
        required = required_access()
    except Denied:
        return _deny(not current_user.is_authenticated)
    if required == PUBLIC or allows(current_user, required):
        return None
    return _deny(not current_user.is_authenticated, required)
