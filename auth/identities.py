"""Provider identities of accounts: who an ID token names, new accounts from a verified address, linking, unlinking.

A provider asserting an address never links it to an existing account: the account's owner proves it first, with the
password once or with a link emailed to the address (built from BASE_URL). A new account needs `email_verified` to be
the boolean true. An address refused here is not reserved: it can still sign up with a password.
"""
import hashlib
import time

from flask import current_app, session
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

import jobqueue
from auth import mail
from auth.factors import audit
from auth.reauth import UNUSABLE, has_password
from extensions import db
from links import external_url
from models.accounts import User, utcnow
from models.sign_in import Identity, Passkey
from auth.nav import brand

PENDING = "oidc_pending_link"  # session key: the identity waiting for its account owner's proof
PENDING_AGE = 900  # seconds the proof may take
LINK_SALT = "beanflows-link-identity"
LINK_MAX_AGE = 3600


class IdentityError(ValueError):
    """An identity that cannot be used this way; the message is fit to show."""


def of(issuer, subject):
    """Return the Identity of (issuer, subject), or None."""
    return db.session.execute(db.select(Identity).where(Identity.issuer == issuer, Identity.subject == subject)
                              ).scalar_one_or_none()


def linked(user):
    """Return the user's identities, oldest first."""
    return db.session.execute(db.select(Identity).where(Identity.user_id == user.id).order_by(Identity.id)
                              ).scalars().all()


def verified_email(claims):
    """Return the address of claims when the provider says it is verified (the boolean true), else None."""
    email = claims.get("email")
    if claims.get("email_verified") is not True or not isinstance(email, str) or "@" not in email:
        return None
    return User.normalize_email(email)


def link(user, provider, claims):
    """Link the identity of claims (from provider) to user; raise IdentityError when another account holds it."""
    held = of(provider.issuer, str(claims["sub"]))
    if held is not None:
        if held.user_id != user.id:
            raise IdentityError(f"This {provider.label} account is already linked to another {brand()} account.")
        return held
    row = Identity(user_id=user.id, provider=provider.key, issuer=provider.issuer, subject=str(claims["sub"]),
                   email=(claims.get("email") or "")[:320] or None)
    db.session.add(row)
    audit(user, "identity.link", f"{user.email}: {provider.label} ({row.email or row.subject})")
    db.session.commit()
    return row


def create_account(provider, claims):
    """Create an account without a password for the verified address of claims, with its identity; return it."""
    email = verified_email(claims)
    user = User(email=email, password_hash=UNUSABLE)
    db.session.add(user)
    db.session.flush()
    audit(user, "account.create", f"{email}: through {provider.label}")
    link(user, provider, claims)
    return user


def used(identity):
    """Note that identity just signed its user in."""
    identity.last_used_at = utcnow()
    db.session.commit()


def ways_in(user):
    """Return how many ways user can sign in: a password, each identity, each passkey."""
    count = int(has_password(user)) + len(linked(user))
    return count + db.session.execute(db.select(db.func.count()).select_from(Passkey).where(
        Passkey.user_id == user.id)).scalar_one()


def unlink(user, identity_id):
    """Unlink one of user's identities unless it is their last way in; return its provider, or raise IdentityError."""
    row = db.session.get(Identity, identity_id)
    if row is None or row.user_id != user.id:
        raise IdentityError("No such linked account.")
    if ways_in(user) <= 1:
        raise IdentityError("This is your only way to sign in. Set a password (Forgot your password? on the login "
                            "page) or add a passkey before unlinking it.")
    provider = row.provider
    db.session.delete(row)
    audit(user, "identity.unlink", f"{user.email}: {provider} ({row.email or row.subject})")
    db.session.commit()
    return provider


def hold(provider, claims, user):
    """Keep the identity of claims in the session until user's owner proves the account is theirs."""
    session[PENDING] = {"provider": provider.key, "sub": str(claims["sub"]), "email": claims.get("email"),
                        "user_id": user.id, "at": time.time()}


def pending():
    """Return the identity waiting in the session for its proof, or None (none, or too old)."""
    waiting = session.get(PENDING)
    if not isinstance(waiting, dict) or time.time() - waiting.get("at", 0) > PENDING_AGE:
        return None
    return waiting


def _serializer():
    """Return the signer of emailed link-confirmation tokens."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def _fingerprint(user):
    """Return a digest of the user's password hash and session version: a token dies when either changes."""
    return hashlib.sha256(f"{user.password_hash}:{user.session_version}".encode()).hexdigest()[:16]


def email_proof(user, waiting, label):
    """Email user a link that confirms linking the waiting identity (no sign-in: the link only links)."""
    token = _serializer().dumps({"uid": user.id, "provider": waiting["provider"], "sub": waiting["sub"],
                                 "email": waiting.get("email"), "fp": _fingerprint(user)})
    link_url = external_url("auth.oidc_link_confirm", token=token)
    minutes = LINK_MAX_AGE // 60
    jobqueue.enqueue(
        mail.send, user.email, f"Link {label} to your {brand()} account",
        f"Someone signed in with {label} as {waiting.get('email') or 'an account'} and asked to link it to your "
        f"{brand()} account.\n\nIf it was you, open this link within {minutes} minutes and confirm:\n{link_url}\n\n"
        "If it was not you, ignore this email: nothing is linked.\n",
        tries=1 if jobqueue.queue() is None else jobqueue.MAX_TRIES)


def read_proof(token):
    """Return (user, provider key, claims) of an emailed link token; raise IdentityError when it is not valid."""
    try:
        data = _serializer().loads(token, max_age=LINK_MAX_AGE)
    except SignatureExpired:
        raise IdentityError("This link has expired. Sign in with the provider again to get a new one.") from None
    except BadSignature:
        raise IdentityError("This link is not valid.") from None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("fp") != _fingerprint(user):
        raise IdentityError("This link is no longer valid. Sign in with the provider again to get a new one.")
    return user, data["provider"], {"sub": data["sub"], "email": data.get("email")}
