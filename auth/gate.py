"""The access gate: the pipeline step that asks the policy (auth/access.py) about every request and refuses."""
from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from auth.access import (API_PREFIX, CALLBACK_PATH, PUBLIC, SUBSCRIBER, USER, Denied, Malformed, allows, level, required,
                         stuck)
from auth.steps import ADD_FACTOR, SECOND_FACTOR

# What a login stuck at a step of signing in is told, wherever it tries to go (auth/steps.py).
STEP_MESSAGES = {
    SECOND_FACTOR: "Finish signing in: enter the code from your authenticator app, a recovery code, or use a passkey.",
    ADD_FACTOR: "Add a second factor before going on.",
}
TEAM_SSO_MESSAGE = "Your team requires signing in through its single sign-on."


def _to_step(step, user):
    """Return the response that sends a login stuck at step to where it finishes signing in."""
    g.refusal = {"reason": f"sign-in step: {step}", "required": None}
    message = STEP_MESSAGES.get(step, TEAM_SSO_MESSAGE)
    if wants_json():
        response = jsonify(error=message)
        response.status_code = 401
        return response
    target = request.full_path.rstrip("?")
    if step == SECOND_FACTOR:
        return redirect(url_for("auth.second_step", next=target))
    if step == ADD_FACTOR:
        from auth.steps import factor_required

        flash(f"{factor_required(user)} {message}", "warning")
        return redirect(url_for("auth.mfa"))
    flash(message, "warning")
    return redirect(url_for("auth.login", sso=f"team-{user.team_id}", next=target))


def wants_json():
    """Return True for requests answered in JSON (API and Dash callbacks)."""
    return request.path.startswith(API_PREFIX) or request.path == CALLBACK_PATH


def _deny(anonymous, needed=None):
    """Return the response for a request the user may not make."""
    # The request log (web/logs.py) writes this reason when the response goes out.
    g.refusal = {"reason": "not logged in" if anonymous else "insufficient access", "required": needed}
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
    subscriber_feature = needed == SUBSCRIBER and level(current_user) == USER
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
        needed = required()
    except Malformed:
        response = jsonify(error="Malformed callback request.")
        response.status_code = 400
        return response
    except Denied:
        return _deny(not current_user.is_authenticated)
    # The user itself, not Flask-Login's proxy: the level check reads several of its attributes.
    if needed == PUBLIC or allows(current_user._get_current_object(), needed):
        return None
    pending = stuck()
    if pending is not None and not current_user.is_authenticated:
        return _to_step(*pending)
    return _deny(not current_user.is_authenticated, needed)
