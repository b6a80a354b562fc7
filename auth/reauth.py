"""Asking a signed-in user to prove it is them before a factor or a way in changes: the password, or a fresh sign-in."""
from datetime import datetime, timedelta, timezone

from auth.passwords import check_password
from models.entitlement import aware

# How old the current login may be for an account without a password (made through a provider) to change factors.
FRESH = timedelta(minutes=10)
# The password hash of an account made through a provider: no password can match it.
UNUSABLE = "!no-password"


def has_password(user):
    """Return True when the user can sign in with a password."""
    return bool(user.password_hash) and not user.password_hash.startswith("!")


def refusal(user, password):
    """Return why this change is refused (wrong password, sign-in too old), or None when the user proved it is them."""
    if has_password(user):
        return None if check_password(user.password_hash, password or "") else "That is not your password."
    started = aware(getattr(user, "login_at", None))
    if started is not None and datetime.now(timezone.utc) - started <= FRESH:
        return None
    return ("Your account has no password, so sign in again first: this change needs a sign-in from the last "
            f"{int(FRESH.total_seconds() // 60)} minutes.")
