"""Signing in with an OpenID provider: /auth/oidc/<provider>/start and /callback.

The callback signs in the account an identity is linked to, creates an account from a verified address nobody uses,
or, for an address an account already has, asks that account's owner to prove it (auth/oidc_link.py). A refused
callback (bad or missing state, a callback in another browser, a token failing its checks) answers 400 with the
login page and signs nobody in. A team's own provider admits only the team's members and those it may take in
(teams/sso.py, given at start through the registry).
"""
import time

import joserfc.errors
import requests
from authlib.common.errors import AuthlibBaseError
from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_login import current_user

import registry
from auth import identities, login_sessions, oidc, signin
from auth.access import PUBLIC, requires
from auth.forms import LoginForm
from auth.redirects import safe_next
from auth.views import bp
from extensions import db
from links import external_url
from models.accounts import User

NEXT = "oidc_next"
LINK_INTENT = "oidc_link_intent"  # session: a signed-in user asked (with their password) to link this provider
INTENT_AGE = 600


def refused(message, status=400):
    """Answer a sign-in that did not happen: the login page with the reason (nobody is signed in)."""
    g.refusal = {"reason": "sign-in refused", "required": None}
    current_app.logger.info("sign-in refused: %s", message)
    form = LoginForm()
    return render_template("auth/login.html", form=form, error=message), status


def _provider(key):
    """Return the provider named key, or 404."""
    found = oidc.find(key)
    if found is None:
        abort(404)
    return found


# No rate limit of their own: the provider authenticates, and a whole office behind one address signs in at nine.
@bp.get("/auth/oidc/<provider>/start")
@requires(PUBLIC)
def oidc_start(provider):
    """Send the browser to the provider (authorization code, PKCE S256, state and nonce kept in this browser)."""
    found = _provider(provider)
    try:
        client = oidc.client(found)
    except oidc.ProviderError as exc:
        return refused(f"{exc}. Try again later, or sign in another way.", 502)
    session[NEXT] = safe_next(request.args.get("next"))
    hint = request.args.get("login_hint")
    extra = {"login_hint": hint[:320]} if isinstance(hint, str) and hint else {}
    return client.authorize_redirect(external_url("auth.oidc_callback", provider=found.key), **extra)


def _team_refusal(provider, user, email):
    """Return why the team's provider may not sign this person in (None: it may, or it is no team's provider)."""
    if provider.team_id is None:
        return None
    return registry.current().team_sign_in.refusal(user, provider.team_id, email)


def _begin(user, provider, claims, replacing=None):
    """Sign user in through provider (joining its team when they may), or answer why not."""
    if provider.team_id is not None:
        reason = registry.current().team_sign_in.join(user, provider.team_id, identities.verified_email(claims))
        if reason:
            return refused(reason, 403)
    if replacing is not None:
        login_sessions.end(replacing)
    try:
        return signin.begin(user, provider.method, next_url=session.get(NEXT))
    except signin.Refused as exc:
        return refused(str(exc), 403)


def _as_signed_in_user(me, provider, claims, held):
    """A signed-in user came back: link the provider they asked to link, or sign in again with their own identity."""
    intent = session.pop(LINK_INTENT, None)
    wanted = isinstance(intent, dict) and intent.get("provider") == provider.key and intent.get("user_id") == me.id \
        and time.time() - intent.get("at", 0) <= INTENT_AGE
    if held is not None and held.user_id == me.id:
        identities.used(held)
        return _begin(me, provider, claims, replacing=me)
    if not wanted:
        return refused(f"This {provider.label} account is not linked to yours. Link it from your account page.", 403)
    reason = _team_refusal(provider, me, identities.verified_email(claims))
    if reason:
        return refused(reason, 403)
    try:
        identities.link(me, provider, claims)
    except identities.IdentityError as exc:
        return refused(str(exc), 409)
    return _begin(me, provider, claims, replacing=me)


@bp.get("/auth/oidc/<provider>/callback")
@requires(PUBLIC)
def oidc_callback(provider):
    """Finish the provider's sign-in: check state, code and ID token, then sign in, create, or ask for proof."""
    found = _provider(provider)
    try:
        token = oidc.client(found).authorize_access_token(claims_options=oidc.claims_options(found))
    except (AuthlibBaseError, joserfc.errors.JoseError, requests.RequestException, oidc.ProviderError,
            KeyError, ValueError, TypeError) as exc:
        reason = getattr(exc, "description", None) or getattr(exc, "error", None) or type(exc).__name__
        return refused(f"Signing in with {found.label} did not work ({str(reason)[:120]}). Nobody was signed in; "
                       "start again from this page.")
    claims = token.get("userinfo")
    if not claims or not isinstance(claims.get("sub"), str) or not claims["sub"]:
        return refused(f"{found.label} sent no ID token. Nobody was signed in.")
    held = identities.of(found.issuer, claims["sub"])
    if current_user.is_authenticated:
        return _as_signed_in_user(current_user._get_current_object(), found, claims, held)
    if held is not None:
        user = db.session.get(User, held.user_id)
        if not user.is_active:
            return refused("This account is disabled.", 403)
        identities.used(held)
        return _begin(user, found, claims)
    email = identities.verified_email(claims)
    if email is None:
        return refused(f"{found.label} did not confirm your email address, so no account was made from it. "
                       "Sign up with your address and a password instead, or ask your provider to verify it.", 403)
    existing = User.by_email(email)
    if existing is not None:
        identities.hold(found, claims, existing)
        return redirect(url_for("auth.oidc_link"), code=303)
    reason = _team_refusal(found, None, email)
    if reason:
        return refused(reason, 403)
    user = identities.create_account(found, claims)
    return _begin(user, found, claims)
