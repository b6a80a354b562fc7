"""Secrets the app must read back (TOTP secrets, teams' client secrets), stored encrypted with a key from SECRET_KEY.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. The key is derived from SECRET_KEY, so a copy of the users
database alone reads none of them; changing SECRET_KEY makes them unreadable (docs/operations.md says what then).
"""
import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

CONTEXT = b"beanflows-sealed-secrets-v1:"


class Unreadable(ValueError):
    """A sealed value that this SECRET_KEY cannot open (the key changed, or the value was altered)."""


def _fernet():
    """Return the Fernet of the app's SECRET_KEY."""
    key = hashlib.sha256(CONTEXT + str(current_app.config["SECRET_KEY"]).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text):
    """Return text encrypted and authenticated, as ASCII."""
    return _fernet().encrypt(text.encode()).decode("ascii")


def unseal(token):
    """Return the text sealed in token; raise Unreadable when this key did not seal it."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError, AttributeError):
        raise Unreadable("a stored secret cannot be read with the current SECRET_KEY") from None
