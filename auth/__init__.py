"""Users, login, signup, password reset, admin and the access gate."""

from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from auth.access import API_PREFIX, PUBLIC, declare_routes
from extensions import login_manager


@login_manager.user_loader
def load_user(session_id):
    """Return the user for a session id of the form 'id:version:login', or None (checked on every request)."""
    from auth import access, login_sessions

    # A route whose view only reads the user (Dash callbacks) says so where it is declared: it gets the
    # read-only view of the live-user record, at a quarter of the cost of the model.
    user = login_sessions.live_user(session_id, read_only=access.reads_only())
    # A login stuck at a step of signing in (second factor owed, a factor to add, its team's provider) is logged
    # in only on the routes declared for that step; elsewhere it is nobody, and the gate sends it to its step.
    return None if user is None else access.admit(user)


@login_manager.request_loader
def load_user_from_token(req):
    """Return the user of a Bearer API token, for API requests only."""
    from auth import api_tokens

    if not req.path.startswith(API_PREFIX) or "Authorization" not in req.headers:
        return None
    return api_tokens.user_for_header(req.headers["Authorization"])


def _template_context():
    """Give templates the navbar of the current user (auth/nav.py), built when a template draws it."""
    from auth.nav import navbar

    return {"navbar": lambda: navbar(current_user)}


def _too_many_requests(error):
    """Answer a rate-limited request; the login form says why."""
    from auth.forms import LoginForm

    message = "Too many attempts. Wait a minute and try again."
    if request.path.startswith(API_PREFIX):
        return {"error": message}, 429
    if request.endpoint == "auth.login":
        return render_template("auth/login.html", form=LoginForm(), error=message), 429
    return render_template("auth/error.html", title="Too many attempts", message=message), 429


def _csrf_failed(error):
    """Answer a POST whose CSRF token is missing or wrong, without doing anything."""
    from auth.gate import wants_json

    if wants_json():
        return {"error": "Missing or invalid CSRF token; reload the page."}, 400
    return render_template(
        "auth/error.html",
        title="This form has expired",
        message="The form was sent without a valid security token. Go back, reload the page and try again.",
    ), 400


def init_app(app):
    """Register login handling, routes, commands and the gate on app."""
    from auth import account, cli, gate, reset_routes, usage, views  # noqa: F401  (account, reset_routes add routes)
    from auth import mfa_cli, mfa_routes, oidc_link, oidc_routes, second_step, signin_view  # noqa: F401  (add routes)

    login_manager.login_view = "auth.login"
    # "basic" marks a session non-fresh when the client's address or browser changes;
    # "strong" would drop it, which breaks moving a login between clients (tests copy
    # cookies from requests into Chromium). Revocation is by User.session_version
    # (all logins) and LoginSession (one login, at logout).
    login_manager.session_protection = "basic"
    app.register_blueprint(views.bp)
    declare_routes(app, {"auth.static": PUBLIC})  # the passkey script of the sign-in pages
    cli.init_app(app)
    mfa_cli.init_app(app)
    signin_view.init_app(app)
    usage.init_app(app)
    app.before_request(gate.check_request)
    app.context_processor(_template_context)
    app.register_error_handler(429, _too_many_requests)
    app.register_error_handler(CSRFError, _csrf_failed)
