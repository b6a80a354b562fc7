"""One access gate for every request: pages, Dash endpoints, API, downloads, account."""
import hashlib

from dash import _callback
from dash._pages import _path_to_page
from flask import current_app, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from auth.access import ADMIN, CALLBACK, PAGE, PUBLIC, RANK, ROUTE_ACCESS, SUBSCRIBER, USER, allows, level

API_PREFIX = "/api/"
CALLBACK_PATH = "/_dash-update-component"
# Dash's own page router; its access is that of the page it is asked to render.
ROUTER_OUTPUTS = {"_pages_content", "_pages_store"}
ROUTER_LOCATION = "_pages_location"
# Where pages record the level each of their server callbacks needs (see callbacks.page.Page.register).
CALLBACK_ACCESS = "callback_access"
MAX_DEPTH = 32
VERDICTS = "callback_verdicts"  # app.extensions key: {body digest: level}
MAX_VERDICTS = 10_000


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


class Malformed(Exception):
    """The callback request does not match what the callback declares."""


def _matches(items, declared):
    """Return True when items are the declared dependencies, in order, each a dict with a value key."""
    if not isinstance(items, list) or len(items) != len(declared):
        return False
    return all(isinstance(item, dict) and item.get("id") == spec.get("id")
               and item.get("property") == spec.get("property") for item, spec in zip(items, declared))


def _outputs_match(outputs, entry, key):
    """Return True when a body's outputs are the callback's declared outputs (a list for multi-output keys)."""
    declared = entry.get("output")
    declared = declared if isinstance(declared, (list, tuple)) else [declared]
    expected = [{"id": o.component_id, "property": o.component_property.split("@")[0]} for o in declared]
    if not key.startswith(".."):
        outputs = [outputs]
    return isinstance(outputs, list) and len(outputs) == len(expected) and all(
        isinstance(o, dict) and o.get("id") == e["id"] and str(o.get("property")).split("@")[0] == e["property"]
        for o, e in zip(outputs, expected))


def _depth_ok(value, limit=MAX_DEPTH):
    """Return True when value nests no deeper than limit (lists and dicts)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _checked_entry(body):
    """Return Dash's map entry for a callback body whose inputs and state match it; raise Denied or Malformed."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str) or not _depth_ok(body):
        raise Malformed
    # Dash moves global callbacks into the app on its first request, which may be this one.
    entry = dash_app().callback_map.get(body["output"]) or _callback.GLOBAL_CALLBACK_MAP.get(body["output"])
    if entry is None or entry.get("callback") is None:  # unknown, or run in the browser only
        raise Denied
    # Dash hands inputs and state to the function by position: judge those positions.
    if not _matches(body.get("inputs"), entry.get("inputs") or []) or \
            not _matches(body.get("state", []), entry.get("state") or []) or \
            not _outputs_match(body.get("outputs"), entry, body["output"]):
        raise Malformed
    return entry


def _is_router(key):
    """Return True when a callback key names Dash's page router."""
    if not key.startswith(".."):
        return False
    outputs = {part.rsplit(".", 1)[0] for part in key[2:-2].split("...")}
    return outputs == ROUTER_OUTPUTS


def callback_access(body):
    """Return the level a /_dash-update-component body needs; raise Denied or Malformed."""
    entry = _checked_entry(body)
    key = body["output"]
    if _is_router(key):
        position = next(i for i, spec in enumerate(entry["inputs"])
                        if spec.get("id") == ROUTER_LOCATION and spec.get("property") == "pathname")
        pathname = body["inputs"][position].get("value")
        if not isinstance(pathname, str):
            raise Malformed
        return page_access(pathname)
    required = current_app.extensions.get(CALLBACK_ACCESS, {}).get(key)
    if required not in RANK:
        raise Denied
    return required


def _callback_level():
    """Return the level the callback request's body needs, judging each distinct JSON body once per app."""
    # The callbacks and their levels are fixed once the app starts, so the verdict on the same bytes is too;
    # a page's charts send the same bodies over and over.
    verdicts = current_app.extensions.setdefault(VERDICTS, {})
    digest = hashlib.blake2b(request.get_data(cache=True), digest_size=16).digest() if request.is_json else None
    required = verdicts.get(digest) if digest else None
    if required is None:
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            raise Malformed from None
        required = callback_access(body)
        if digest:
            if len(verdicts) >= MAX_VERDICTS:
                verdicts.clear()
            verdicts[digest] = required
    return required


def check_declared(app):
    """Raise RuntimeError naming any server callback of app registered without an access level."""
    declared = app.server.extensions.get(CALLBACK_ACCESS, {})
    entries = {**_callback.GLOBAL_CALLBACK_MAP, **app.callback_map}
    missing = sorted(key for key, entry in entries.items()
                     if entry.get("callback") is not None and declared.get(key) not in RANK and not _is_router(key))
    if missing:
        raise RuntimeError(f"server callbacks without a declared access level: {', '.join(missing)}")


def route_access():
    """Return the level declared where the requested route was registered, or None."""
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "access", None) or current_app.extensions.get(ROUTE_ACCESS, {}).get(request.endpoint)


def required_access():
    """Return the level the current request needs, or raise Denied."""
    declared = route_access()
    if declared == CALLBACK:
        return _callback_level()
    if declared == PAGE:
        return page_access(request.path)
    if declared not in RANK:
        raise Denied  # check_routes refuses to start without one; never open by default
    return declared


def check_routes(app):
    """Refuse to start when a route has no declared access level."""
    undeclared = sorted(rule.rule for rule in app.url_map.iter_rules()
                        if getattr(app.view_functions.get(rule.endpoint), "access", None) is None
                        and rule.endpoint not in app.extensions.get(ROUTE_ACCESS, {}))
    if undeclared:
        raise RuntimeError(f"routes without a declared access level: {', '.join(undeclared)}")


def wants_json():
    """Return True for requests answered in JSON (API and Dash callbacks)."""
    return request.path.startswith(API_PREFIX) or request.path == CALLBACK_PATH


def _deny(anonymous, required=None):
    """Return the response for a request the user may not make."""
    # The request log (web/logs.py) writes this reason when the response goes out.
    g.refusal = {"reason": "not logged in" if anonymous else "insufficient access", "required": required}
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
    except Malformed:
        response = jsonify(error="Malformed callback request.")
        response.status_code = 400
        return response
    except Denied:
        return _deny(not current_user.is_authenticated)
    # The user itself, not Flask-Login's proxy: the level check reads several of its attributes.
    if required == PUBLIC or allows(current_user._get_current_object(), required):
        return None
    return _deny(not current_user.is_authenticated, required)
