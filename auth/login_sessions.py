"""Per-login session ids kept server-side, so logging out ends that login's cookies; the live-user record.

Every request's user is the live-user record: one query on two primary keys that finds the user at this session
version, active, with this login unrevoked, and carries its team's state (models/team_access.py), so the access
policy (auth/access.py) decides from it with no other query. It comes as one of two things, chosen by what the
route declared (access.Rule.reads_only): the model (User), or, for views that only read the user (Dash
callbacks), a read-only view of the same row.
"""
import secrets

from extensions import db
from models.accounts import Account, LoginSession, User, is_row_id, utcnow
from models.prepared import Prepared
from models.team_access import TEAM_COLUMNS, carry, join_team


USERS, LOGINS = User.__table__, LoginSession.__table__


def _live(*columns):
    """Return the one query on two primary keys: the user at this session version, active, and this login unrevoked.

    It carries the user's team and the team's subscription state (outer joins on unique keys), so team access is
    decided in the same query, on every request.
    """
    # Table columns, not the model's attributes: a statement naming none of the model runs without the ORM.
    joined = join_team(USERS.join(LOGINS, LOGINS.c.user_id == USERS.c.id), USERS.c.id)
    return (db.select(*columns, *TEAM_COLUMNS).select_from(joined)
            .where(USERS.c.id == db.bindparam("user_id"), USERS.c.session_version == db.bindparam("version"),
                   USERS.c.active.is_(True), LOGINS.c.id == db.bindparam("login_id"), LOGINS.c.revoked_at.is_(None)))


# Built once: composing a statement costs twice what running it does.
LIVE_USER = _live(User)
# The same check as columns, for requests that only read the user (no password hash: nothing reads it there).
LIVE_ROW = Prepared(_live(*(column for column in USERS.c if column.key != "password_hash")))


class ReadOnlyUser(Account):
    """The read-only view of the live-user record: the user's row (no password hash) and its team's state.

    It answers what the model answers for reading (Account's properties, every column, the team fields) and
    refuses writes: a view declared to only read the user cannot change it by mistake.
    """

    def __init__(self, row, login_id):
        self.__dict__.update(row)
        self.__dict__["login_session_id"] = login_id

    def __setattr__(self, name, value):
        raise AttributeError(f"the read-only view of the user cannot set {name!r}: declare the route without "
                             "reads_only to get the model")


def start(user):
    """Open a login session for user and attach its id, so get_id() carries it."""
    row = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id)
    db.session.add(row)
    user.login_session_id = row.id
    return row


def _parse(session_id):
    """Return the query parameters of a session id 'user:version:login', or None when it cannot name a login."""
    user_id, version, login_id = (str(session_id).split(":") + ["", ""])[:3]
    if not user_id.isdigit() or not version.isdigit() or not login_id:
        return None
    user_id, version = int(user_id), int(version)
    if not is_row_id(user_id) or not is_row_id(version):
        return None
    return {"user_id": user_id, "version": version, "login_id": login_id}


def live_user(session_id, read_only=False):
    """Return the active user of a session id whose login is not revoked, else None; checked in the database."""
    params = _parse(session_id)
    if params is None:
        return None
    if read_only:
        # For requests that never change the user (Dash callbacks): one driver call on a pooled connection,
        # ~0.08 ms instead of ~0.4 ms for an ORM object, the session it opens and that session's teardown.
        row = LIVE_ROW.first(db.engine, params)
        return None if row is None else ReadOnlyUser(row, params["login_id"])
    row = db.session.execute(LIVE_USER, params).first()
    if row is None:
        return None
    user = carry(row[0], row._mapping)
    user.login_session_id = params["login_id"]
    return user


def end(user):
    """Revoke the login session user was loaded with (no-op for API-token users)."""
    row = db.session.get(LoginSession, user.login_session_id) if user.login_session_id else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
