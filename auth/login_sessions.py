"""Per-login session ids kept server-side, so logging out ends that login's cookies; the live-user record.

Every request's user is the live-user record: one query on two primary keys that finds the user at this session
version, active, with this login unrevoked, and carries its team's state (models/team_access.py), how this login was
made and whether its second factor is still owed, and the team's sign-in rules, so the access policy
(auth/access.py, auth/steps.py) decides from it with no other query. It comes as one of two things, chosen by what the
route declared (access.Rule.reads_only): the model (User), or, for views that only read the user (Dash
callbacks), a read-only view of the same row.
"""
import secrets

from extensions import db
from models.accounts import Account, LoginSession, User, is_row_id, utcnow
from models.prepared import Prepared
from models.sign_in import TeamSignIn
from models.team_access import MEMBERS, TEAM_COLUMNS, carry, join_team


USERS, LOGINS, TEAM_SIGN_IN = User.__table__, LoginSession.__table__, TeamSignIn.__table__
# What the sign-in steps read (auth/steps.py): this login's method, its owed second factor, when it last checked
# one; the team's rules (an outer join on the team's key: NULL, read as False, for a team without any).
SIGN_IN_COLUMNS = (
    LOGINS.c.method.label("login_method"),
    LOGINS.c.second_factor_pending.label("login_pending"),
    LOGINS.c.created_at.label("login_at"),
    LOGINS.c.factor_at.label("login_factor_at"),
    TEAM_SIGN_IN.c.sso_required.label("team_sso_required"),
    TEAM_SIGN_IN.c.mfa_required.label("team_mfa_required"),
)
SIGN_IN_KEYS = tuple(column.key for column in SIGN_IN_COLUMNS)


def _live(*columns):
    """Return the one query on two primary keys: the user at this session version, active, and this login unrevoked.

    It carries the user's team and the team's subscription state (outer joins on unique keys), so team access is
    decided in the same query, on every request.
    """
    # Table columns, not the model's attributes: a statement naming none of the model runs without the ORM.
    joined = join_team(USERS.join(LOGINS, LOGINS.c.user_id == USERS.c.id), USERS.c.id).outerjoin(
        TEAM_SIGN_IN, TEAM_SIGN_IN.c.team_id == MEMBERS.c.team_id)
    return (db.select(*columns, *TEAM_COLUMNS, *SIGN_IN_COLUMNS).select_from(joined)
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


def start(user, method="password", pending=False, factor_at=None):
    """Open a login session for user, made by method (second factor owed when pending), and attach its id."""
    row = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id, method=method, second_factor_pending=pending,
                       factor_at=factor_at)
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
    for key in SIGN_IN_KEYS:
        setattr(user, key, row._mapping[key])
    user.login_session_id = params["login_id"]
    return user


def end(user):
    """Revoke the login session user was loaded with (no-op for API-token users)."""
    row = db.session.get(LoginSession, user.login_session_id) if user.login_session_id else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
