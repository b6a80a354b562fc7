"""Per-login session ids kept server-side, so logging out ends that login's cookies."""
import secrets

from models.accounts import LoginSession, utcnow
from extensions import db


def start(user):
    """Open a login session for user and attach its id, so get_id() carries it."""
    row = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id)
    db.session.add(row)
    user.login_session_id = row.id
    return row


def is_live(user_id, login_session_id):
    """Return True when the login session exists for user_id and is not revoked."""
    row = db.session.get(LoginSession, login_session_id)
    return row is not None and row.user_id == user_id and row.revoked_at is None


def end(user):
    """Revoke the login session user was loaded with (no-op for API-token users)."""
    row = db.session.get(LoginSession, user.login_session_id) if user.login_session_id else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
