"""The two-factor settings at /account/mfa: an authenticator app (TOTP), passkeys, recovery codes.

Adding or removing a factor asks for the password (or, for an account without one, a sign-in from the last minutes),
and then ends the user's other sessions and remember cookies. These routes stay open to a user who must add a factor
before anything else (auth/steps.py, ENROLMENT).
"""
from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from auth import factors, passkeys, reauth, signin
from auth.access import requires
from auth.signin_forms import PasskeyForm, PasswordCheckForm, TotpConfirmForm
from auth.steps import ENROLMENT, factor_required
from auth.views import bp
from extensions import db

ENROLLING = "totp_enrolling"  # session key: this browser proved the password for the secret shown


def _user():
    """Return the signed-in user (the model)."""
    return current_user._get_current_object()


def _page(status=200, password_form=None, confirm_form=None, setup=None, codes=None, error=None):
    """Render the two-factor page (with recovery codes just made, shown once)."""
    user = _user()
    codes = codes or session.pop("new_recovery_codes", None)
    row = factors.totp(user)
    return render_template(
        "auth/mfa.html", totp_on=row is not None and row.confirmed_at is not None, passkeys=factors.passkeys(user),
        recovery_left=factors.recovery_left(user), required=factor_required(user), has_password=reauth.has_password(user),
        password_form=password_form or PasswordCheckForm(), confirm_form=confirm_form or TotpConfirmForm(),
        passkey_form=PasskeyForm(), setup=setup, codes=codes, error=error, rp_origin=passkeys.relying_party()[1],
    ), status


def _after_change(user, message, codes=None):
    """End the user's other logins, keep this one, and show the page (with new recovery codes, shown once)."""
    factors.end_other_logins(user)
    db.session.commit()
    signin.keep_this_login(user, remember=request.cookies.get("remember_token") is not None)
    flash(message + " Your other sessions were signed out.", "success")
    if codes:
        return _page(codes=codes)
    return redirect(url_for("auth.mfa"), code=303)


def _proved(form):
    """Return None when the form's password (or a fresh sign-in) proves it is the user, else the page with why."""
    if not form.validate_on_submit():
        return _page(400, password_form=form, error="The form was incomplete; try again.")
    refused = reauth.refusal(_user(), form.password.data)
    if refused:
        form.password.errors.append(refused)
        return _page(403, password_form=form, error=refused)
    return None


def _removal_refused(user, removing):
    """Return the page saying why removing this factor is refused (password, last required factor), or None."""
    refused = _proved(PasswordCheckForm())
    if refused is not None:
        return refused
    kept = _keeps_a_factor(user, removing)
    return _page(409, error=kept) if kept else None


def _keeps_a_factor(user, removing):
    """Return why removing this factor is refused (it is the last one and the team or role requires one), or None."""
    others = (factors.totp(user) is not None and factors.totp(user).confirmed_at is not None) + len(
        factors.passkeys(user)) - 1
    reason = factor_required(user)
    if reason and others < 1:
        return f"{reason} Add another factor before removing your {removing}."
    return None


@bp.get("/account/mfa")
@requires(ENROLMENT)
def mfa():
    """Show the two-factor settings."""
    return _page()


@bp.post("/account/mfa/totp")
@requires(ENROLMENT)
def totp():
    """Set up an authenticator app: with the password, show a new secret and its QR code; with `code`, turn it on."""
    user = _user()
    if "code" in request.form:
        form = TotpConfirmForm()
        row = factors.totp(user)
        if row is None or row.confirmed_at is not None or session.get(ENROLLING) != user.id:
            return _page(400, error="Start again: set up the authenticator app with your password first.")
        if not form.validate_on_submit() or not factors.confirm_totp(user, form.code.data):
            form.code.errors.append("That code does not match. Check the app's clock and type the newest code.")
            return _page(400, confirm_form=form, setup=factors.provisioning(user, row))
        session.pop(ENROLLING, None)
        signin.confirm_factor(user)
        codes = factors.new_recovery_codes(user) if factors.recovery_left(user) == 0 else None
        return _after_change(user, "Your authenticator app is on.", codes)
    form = PasswordCheckForm()
    refused = _proved(form)
    if refused is not None:
        return refused
    try:
        row = factors.start_totp(user)
    except ValueError:
        return _page(409, error="An authenticator app is already on. Turn it off first to set up another.")
    session[ENROLLING] = user.id
    return _page(setup=factors.provisioning(user, row))


@bp.post("/account/mfa/totp/disable")
@requires(ENROLMENT)
def totp_disable():
    """Turn the authenticator app off (password first)."""
    user = _user()
    refused = _removal_refused(user, "authenticator app")
    if refused is not None:
        return refused
    factors.remove_totp(user)
    return _after_change(user, "Your authenticator app is off.")


@bp.post("/account/mfa/recovery-codes")
@requires(ENROLMENT)
def recovery_codes():
    """Make a new set of recovery codes (password first); the old ones stop working."""
    user = _user()
    refused = _proved(PasswordCheckForm())
    if refused is not None:
        return refused
    if not user.two_factor:
        return _page(409, error="Recovery codes come with a second factor: set one up first.")
    codes = factors.new_recovery_codes(user)
    return _after_change(user, "New recovery codes made; the old ones no longer work.", codes)


@bp.post("/account/mfa/passkeys/options")
@requires(ENROLMENT)
def passkey_options_new():
    """Return the options that create a passkey, once the password (or a fresh sign-in) proves it is the user."""
    user = _user()
    form = PasskeyForm()
    if not form.validate_on_submit():
        return jsonify(error=" ".join(e for errors in form.errors.values() for e in errors)), 400
    refused = reauth.refusal(user, form.password.data)
    if refused:
        return jsonify(error=refused), 403
    return current_app.response_class(passkeys.registration_options(user, form.name.data),
                                      mimetype="application/json")


@bp.post("/account/mfa/passkeys")
@requires(ENROLMENT)
def passkey_add():
    """Store the passkey the browser created for the options above."""
    user = _user()
    try:
        row = passkeys.register(user, (request.get_json(silent=True) or {}).get("credential"))
    except passkeys.PasskeyError as exc:
        return jsonify(error=str(exc)), 400
    signin.confirm_factor(user)
    codes = factors.new_recovery_codes(user) if factors.recovery_left(user) == 0 else None
    if codes:
        session["new_recovery_codes"] = codes  # shown once, on the page the browser opens next
    _after_change(user, f"Passkey {row.name} added.")
    return jsonify(next=url_for("auth.mfa"))


@bp.post("/account/mfa/passkeys/<int:passkey_id>/remove")
@requires(ENROLMENT)
def passkey_remove(passkey_id):
    """Remove one of the user's passkeys (password first)."""
    user = _user()
    refused = _removal_refused(user, "passkey")
    if refused is not None:
        return refused
    name = passkeys.remove(user, passkey_id)
    if name is None:
        return _page(404, error="No such passkey.")
    return _after_change(user, f"Passkey {name} removed.")
