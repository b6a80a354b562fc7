"""Linking providers to accounts: the owner's proof for an address that has an account, and /account's link and unlink.

Also /login/sso: a work address finds its team's own provider by the address's domain.
"""
import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from auth import identities, oidc, reauth
from auth.access import PUBLIC, USER, requires
from auth.oidc_routes import LINK_INTENT, _begin, refused
from auth.passwords import burn_time
from auth.signin_forms import PasswordCheckForm, SsoLookupForm
from auth.views import _limit, _login_limit, bp
from extensions import db, limiter
from models.accounts import User
from models.sign_in import TeamDomain

SENT = "We emailed {email} a link that links {label} to the account. Open it, then sign in with {label} again."


def _waiting():
    """Return (identity waiting for proof, its provider, the account it names) or None."""
    waiting = identities.pending()
    provider = oidc.find(waiting["provider"]) if waiting else None
    user = db.session.get(User, waiting["user_id"]) if waiting else None
    if provider is None or user is None or not user.is_active:
        return None
    return waiting, provider, user


@bp.route("/auth/oidc/link", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_login_limit, methods=["POST"])
def oidc_link():
    """Ask the owner of the account an address belongs to for proof: the password once, or an emailed link."""
    found = _waiting()
    if found is None:
        flash("Nothing is waiting to be linked: sign in with your provider again.", "info")
        return redirect(url_for("auth.login"), code=303)
    waiting, provider, user = found
    form = PasswordCheckForm()
    error, status = None, 200
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("action") == "email":
            identities.email_proof(user, waiting, provider.label)
            session.pop(identities.PENDING, None)
            flash(SENT.format(email=user.email, label=provider.label), "info")
            return redirect(url_for("auth.login"), code=303)
        if reauth.has_password(user) and reauth.refusal(user, form.password.data) is None:
            claims = {"sub": waiting["sub"], "email": waiting.get("email")}
            session.pop(identities.PENDING, None)
            try:
                identities.link(user, provider, claims)
            except identities.IdentityError as exc:
                return refused(str(exc), 409)
            return _begin(user, provider, {**claims, "email_verified": True})
        burn_time(form.password.data or "")
        error, status = "That is not the password of this account.", 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/link_identity.html", form=form, provider=provider, email=user.email,
                           has_password=reauth.has_password(user), error=error), status


@bp.route("/auth/oidc/link/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_login_limit, methods=["POST"])
def oidc_link_confirm(token):
    """Confirm, from the emailed link, that a provider's identity may be linked to the account (no sign-in)."""
    try:
        user, key, claims = identities.read_proof(token)
    except identities.IdentityError as exc:
        return render_template("auth/error.html", title="Link not valid", message=str(exc)), 400
    provider = oidc.find(key)
    if provider is None:
        return render_template("auth/error.html", title="Link not valid",
                               message="That provider is no longer offered here."), 400
    form = PasswordCheckForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            identities.link(user, provider, claims)
        except identities.IdentityError as exc:
            return render_template("auth/error.html", title="Not linked", message=str(exc)), 409
        flash(f"{provider.label} is linked to {user.email}. Sign in with it now.", "success")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/link_confirm.html", form=form, provider=provider, email=user.email)


@bp.post("/account/identities")
@requires(USER)
def link_start():
    """Link a provider to the signed-in account: the password (or a fresh sign-in) first, then the provider."""
    user = current_user._get_current_object()
    provider = oidc.find(request.form.get("provider", ""))
    form = PasswordCheckForm()
    if provider is None or not form.validate_on_submit():
        flash("Choose a provider to link.", "warning")
        return redirect(url_for("auth.account"), code=303)
    refusal = reauth.refusal(user, form.password.data)
    if refusal:
        flash(refusal, "danger")
        return redirect(request.form.get("back") == "team" and url_for("teams.team") or url_for("auth.account"),
                        code=303)
    session[LINK_INTENT] = {"provider": provider.key, "user_id": user.id, "at": time.time()}
    return redirect(url_for("auth.oidc_start", provider=provider.key, next=url_for("auth.account")), code=303)


@bp.post("/account/identities/<int:identity_id>/unlink")
@requires(USER)
def unlink(identity_id):
    """Unlink a provider from the account, unless it is the last way in."""
    if not PasswordCheckForm().validate_on_submit():
        flash("The form expired; try again.", "warning")
        return redirect(url_for("auth.account"), code=303)
    try:
        provider = identities.unlink(current_user._get_current_object(), identity_id)
    except identities.IdentityError as exc:
        flash(str(exc), "danger")
    else:
        flash(f"{provider} is no longer linked.", "success")
    return redirect(url_for("auth.account"), code=303)


@bp.route("/login/sso", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_limit("LOGIN_ADDRESS_RATE_LIMIT"), methods=["POST"])
def sso_lookup():
    """Find a team's single sign-on from a work address's domain and go there."""
    form = SsoLookupForm()
    error, status = None, 200
    if form.validate_on_submit():
        domain = User.normalize_email(form.email.data).rpartition("@")[2]
        claim = db.session.get(TeamDomain, domain) if domain else None
        provider = oidc.team_provider(claim.team_id) if claim is not None else None
        if provider is not None:
            return redirect(url_for("auth.oidc_start", provider=provider.key, next=form.next.data or None,
                                    login_hint=form.email.data), code=303)
        error, status = (f"No team signs in with single sign-on for {domain or 'that address'}. Sign in with your "
                         "password, or use the sign-in link your team's owner shared."), 404
    elif request.method == "POST":
        status = 400
    return render_template("auth/sso_lookup.html", form=form, error=error), status
