"""The second step of signing in (/login/mfa) and signing in with a passkey alone.

/login/mfa takes a TOTP code, a recovery code or a passkey from a login that owes its second factor, and from a
complete login confirming it again (creating an API token asks for that). Tries are limited per user, across
workers (the app's limiter), every try counted as it arrives.
"""
from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from auth import factors, passkeys, signin
from auth.access import PUBLIC, requires
from auth.redirects import HOME, safe_next
from auth.signin_forms import SecondStepForm
from auth.steps import SECOND_FACTOR, SECOND_STEP, sign_in_step
from auth.views import _limit, _login_limit, bp
from extensions import db, limiter
from models.accounts import User

WRONG = "That code is not valid, or it was already used. Wait for the next code and try again."


def _factor_key():
    """Rate-limit key of second-factor tries: the user, from every address."""
    return f"second-factor:{getattr(current_user, 'id', None)}"


def _owed(user):
    """Return True when user's login still owes its second factor (else it is a complete login confirming it)."""
    return sign_in_step(user) == SECOND_FACTOR


def _page(form, error=None, status=200):
    """Render the second-step page."""
    user = current_user._get_current_object()
    form.code.data = form.recovery_code.data = None
    return render_template("auth/second_step.html", form=form, error=error, owed=_owed(user),
                           has_totp=(row := factors.totp(user)) is not None and row.confirmed_at is not None,
                           has_passkeys=bool(factors.passkeys(user))), status


def _done(user, next_url, used):
    """Finish signing in (or note the confirmation) after the factor was given; say when a recovery code was used."""
    if used == "recovery":
        left = factors.recovery_left(user)
        flash(f"You used a recovery code: {left} left. Make a new set on your two-factor page if you are short.",
              "warning")
    if _owed(user):
        return signin.finish_second_step(user, next_url)
    signin.confirm_factor(user)
    return redirect(safe_next(next_url) or url_for("auth.account"), code=303)


@bp.route("/login/mfa", methods=["GET", "POST"])
@requires(SECOND_STEP)
@limiter.limit(_login_limit, methods=["POST"], key_func=_factor_key)
def second_step():
    """Ask for the second factor; finish signing in (or confirm it) on a valid one."""
    user = current_user._get_current_object()
    if not user.two_factor:
        return redirect(safe_next(request.args.get("next")) or HOME)
    form = SecondStepForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, "Enter a code.", 400)
    if not form.code.data and not form.recovery_code.data:
        return _page(form, "Enter the code from your authenticator app, or a recovery code.", 400)
    used = factors.check(user, code=form.code.data, recovery_code=form.recovery_code.data)
    if used is None:
        current_app.logger.info("second factor refused for user %s", user.id)
        return _page(form, WRONG, 401)
    return _done(user, form.next.data, used)


@bp.post("/login/mfa/passkey/options")
@requires(SECOND_STEP)
@limiter.limit(_login_limit, key_func=_factor_key)
def second_step_passkey_options():
    """Return the options that ask for one of the user's passkeys."""
    return current_app.response_class(passkeys.authentication_options(current_user._get_current_object()),
                                      mimetype="application/json")


@bp.post("/login/mfa/passkey")
@requires(SECOND_STEP)
def second_step_passkey():
    """Take one of the user's passkeys as the second factor."""
    user = current_user._get_current_object()
    try:
        passkeys.authenticate((request.get_json(silent=True) or {}).get("credential"), user)
    except passkeys.PasskeyError as exc:
        return jsonify(error=str(exc)), 400
    response = _done(user, (request.get_json(silent=True) or {}).get("next"), "passkey")
    return jsonify(next=response.location)


@bp.post("/login/passkey/options")
@requires(PUBLIC)
@limiter.limit(_limit("LOGIN_ADDRESS_RATE_LIMIT"))
def passkey_options():
    """Return the options that ask the browser for any passkey of this site (signing in without a password)."""
    return current_app.response_class(passkeys.authentication_options(), mimetype="application/json")


@bp.post("/login/passkey")
@requires(PUBLIC)
@limiter.limit(_limit("LOGIN_ADDRESS_RATE_LIMIT"))
def passkey_sign_in():
    """Sign in with a passkey alone: it is both factors (the authenticator verified its user)."""
    body = request.get_json(silent=True) or {}
    try:
        row = passkeys.authenticate(body.get("credential"))
    except passkeys.PasskeyError as exc:
        return jsonify(error=str(exc)), 400
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        return jsonify(error="This account cannot sign in."), 403
    try:
        response = signin.begin(user, "passkey", next_url=body.get("next"), factor_done=True)
    except signin.Refused as exc:
        return jsonify(error=str(exc), sso=exc.provider and url_for("auth.oidc_start", provider=exc.provider)), 403
    return jsonify(next=response.location)
