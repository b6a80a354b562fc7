"""One access gate for every request: pages, Dash endpoints, API, downloads, account."""
from flask import current_app, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from auth.access import (API_PREFIX, CALLBACK, CALLBACK_PATH, PAGE, PUBLIC, RANK, ROUTE_ACCESS, SUBSCRIBER, USER,
                         allows, level)

JUDGES = "access_judges"  # app.extensions key: {CALLBACK: fn() -> level, PAGE: fn() -> level}


class Denied(Exception):
    """The request needs a level the user lacks (or no level can open it)."""


class Malformed(Exception):
    """The request does not match what the route it names declares."""


def judge_dash(app, callback, page):
    """Give the gate the functions that return the level of a Dash callback request and of a Dash page URL."""
    app.extensions[JUDGES] = {CALLBACK: callback, PAGE: page}


def route_access():
    """Return the level declared where the requested route was registered, or None."""
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "access", None) or current_app.extensions.get(ROUTE_ACCESS, {}).get(request.endpoint)


def required_access():
    """Return the level the current request needs, or raise Denied."""
    declared = route_access()
    if declared in (CALLBACK, PAGE):
        judge = current_app.extensions.get(JUDGES, {}).get(declared)
        if judge is None:
            raise Denied  # nothing mounted to judge it: never open by default
        return judge()
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
