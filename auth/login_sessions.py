"""Per-login session ids kept server-side, so logging out ends that login's cookies."""
import secrets

from extensions import db
from models.accounts import LoginSession, User, is_row_id, utcnow

# One query on two primary keys: the user, its session version and this login, all checked by the database.
# Built once: composing the statement cost twice what running it does.
LIVE_USER = (db.select(User).join(LoginSession, LoginSession.user_id == User.id)
             .where(User.id == db.bindparam("user_id"), User.session_version == db.bindparam("version"),
                    User.active.is_(True), LoginSession.id == db.bindparam("login_id"),
                    LoginSession.revoked_at.is_(None)))


def start(user):
    """Open a login session for user and attach its id, so get_id() carries it."""
    row = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id)
    db.session.add(row)
    user.login_session_id = row.id
    return row


def live_user(session_id):
    """Return the active user of a session id 'user:version:login' whose login is not revoked, else None."""
    user_id, version, login_id = (str(session_id).split(":") + ["", ""])[:3]
    if not user_id.isdigit() or not version.isdigit() or not login_id:
        return None
    user_id, version = int(user_id), int(version)
    if not is_row_id(user_id) or not is_row_id(version):
        return None
    user = db.session.execute(LIVE_USER, {"user_id": user_id, "version": version, "login_id": login_id}
                              ).scalar_one_or_none()
    if user is not None:
        user.login_session_id = login_id
    return user


def end(user):
    """Revoke the login session user was loaded with (no-op for API-token users)."""
    row = db.session.get(LoginSession, user.login_session_id) if user.login_session_id else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
