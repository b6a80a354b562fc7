"""Signed, expiring, single-use password reset tokens and the emails that carry them."""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

import jobqueue
from auth import mail
from models.accounts import PasswordResetUse, User
from extensions import db
from links import external_url
from auth.nav import brand

SALT = "beanflows-password-reset"


class ResetTokenError(ValueError):
    """A reset token that is invalid, expired or already used."""


def _serializer():
    """Return the serializer keyed by the app's SECRET_KEY."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user):
    """Return a short digest of the password hash, so a token dies when the password changes."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _digest(token):
    """Return the hash a used token is recorded under."""
    return hashlib.sha256(token.encode()).hexdigest()


def make_token(user):
    """Return a reset token for user."""
    return _serializer().dumps({"uid": user.id, "pw": _fingerprint(user)})


def user_for_token(token):
    """Return the user a valid, unused token belongs to; raise ResetTokenError otherwise."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ResetTokenError("This reset link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise ResetTokenError("This reset link is not valid. Ask for a new one.") from exc
    used = db.session.get(PasswordResetUse, _digest(token))
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if used is not None or user is None or not user.is_active or data.get("pw") != _fingerprint(user):
        raise ResetTokenError("This reset link has already been used or is no longer valid. Ask for a new one.")
    return user


def consume(token):
    """Mark token used in the current transaction; raise ResetTokenError if it was used meanwhile."""
    db.session.add(PasswordResetUse(token_hash=_digest(token)))
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise ResetTokenError("This reset link has already been used. Ask for a new one.") from exc


def send_reset_email(email):
    """Email a reset link when an active account has this email; do nothing otherwise."""
    user = User.by_email(email)
    if user is None or not user.is_active:
        return
    link = external_url("auth.reset_password", token=make_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    # With REDIS_URL a worker sends it (retried); without, it goes out once, here.
    jobqueue.enqueue(
        mail.send,
        user.email,
        f"Reset your {brand()} password",
        f"Someone asked to reset the password of your {brand()} account.\n\n"
        f"Open this link within {minutes} minutes to choose a new password:\n{link}\n\n"
        f"If it was not you, ignore this email; your password stays as it is.\n",
        tries=1 if jobqueue.queue() is None else jobqueue.MAX_TRIES,
    )
