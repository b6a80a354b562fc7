"""The read-only user of a Dash callback is the same database check as a page's user, on SQLite and PostgreSQL."""
from datetime import datetime, timedelta, timezone

import pytest
from flask import request

from auth import load_user, login_sessions
from auth.access import level
from extensions import db
from models.accounts import LoginSession, User, utcnow

CALLBACK = "/_dash-update-component"


def _logged_in(app, **fields):
    """Create a user with fields, open a login session for it and return (user id, session id)."""
    with app.app_context():
        user = User(email="live@example.com", password_hash="!unusable", **fields)
        db.session.add(user)
        db.session.commit()
        login_sessions.start(user)
        db.session.commit()
        return user.id, user.get_id()


def _both(app, session_id):
    """Return (the ORM user, the read-only copy) the two paths load for session_id."""
    with app.app_context():
        user = login_sessions.live_user(session_id)
        copy = login_sessions.live_user(session_id, read_only=True)
        return user, copy


def test_the_copy_holds_what_the_model_holds(auth_app):
    past_due = utcnow() - timedelta(days=2)
    _, session_id = _logged_in(auth_app, role="user", subscription_status="past_due", past_due_since=past_due,
                               stripe_customer_id="cus_live", cancel_at_period_end=True)
    with auth_app.app_context():
        user, copy = _both(auth_app, session_id)
        columns = [c.key for c in User.__table__.c if c.key != "password_hash"]
        assert {k: getattr(copy, k) for k in columns} == {k: getattr(user, k) for k in columns}
        assert type(copy.active) is bool and type(copy.cancel_at_period_end) is bool
        assert isinstance(copy.past_due_since, datetime)
        assert not hasattr(copy, "password_hash")
        assert copy.get_id() == user.get_id() == session_id
        assert (copy.is_authenticated, copy.is_active, copy.is_admin) == (True, True, False)
        assert level(copy) == level(user) == "subscriber"  # inside the past_due grace period


@pytest.mark.parametrize("change", ["logout", "password", "disable", "unknown login", "other user"])
def test_both_paths_refuse_the_same_sessions(auth_app, change):
    user_id, session_id = _logged_in(auth_app, access_granted=True)
    with auth_app.app_context():
        user = db.session.get(User, user_id)
        if change == "logout":
            db.session.get(LoginSession, session_id.split(":")[2]).revoked_at = utcnow()
        elif change == "password":
            user.session_version += 1
        elif change == "disable":
            user.active = False
        elif change == "unknown login":
            session_id = session_id.rsplit(":", 1)[0] + ":not-a-login"
        else:
            other = User(email="other@example.com", password_hash="!unusable")
            db.session.add(other)
            db.session.flush()
            session_id = f"{other.id}:1:{session_id.split(':')[2]}"  # another user's id with this login
        db.session.commit()
    assert _both(auth_app, session_id) == (None, None)


@pytest.mark.parametrize("session_id", ["", "x:1:abc", "1:x:abc", "1:1:", "0:1:abc", f"{2**31}:1:abc", "1:1"])
def test_a_malformed_session_id_asks_nothing(auth_app, session_id):
    assert _both(auth_app, session_id) == (None, None)


def _loaded_at(app, path, session_id, method="GET"):
    """Return the user load_user gives a request to path (matched to its route, as Flask does before any hook)."""
    with app.test_request_context(path, method=method):
        request.url_rule, request.view_args = app.url_map.bind("localhost").match(path, method, return_rule=True)
        return load_user(session_id)


def test_callbacks_get_the_read_only_view_and_everything_else_the_model(auth_app):
    _, session_id = _logged_in(auth_app, access_granted=True)
    assert isinstance(_loaded_at(auth_app, CALLBACK, session_id, "POST"), login_sessions.ReadOnlyUser)
    for path in ("/account", "/dashboards/overview", "/api/v1/metrics"):
        assert isinstance(_loaded_at(auth_app, path, session_id), User)


def test_the_view_is_chosen_by_the_routes_declaration_not_its_path(auth_app):
    from auth.access import USER, declare_routes, requires

    _, session_id = _logged_in(auth_app, access_granted=True)
    auth_app.add_url_rule("/reads-only", "reads_only", requires(USER, reads_only=True)(lambda: "read"))
    auth_app.add_url_rule("/writes", "writes", requires(USER)(lambda: "written"))
    assert isinstance(_loaded_at(auth_app, "/reads-only", session_id), login_sessions.ReadOnlyUser)
    assert isinstance(_loaded_at(auth_app, "/writes", session_id), User)
    # Dash's callback path under another route's declaration is the model: the path decides nothing.
    declare_routes(auth_app, {CALLBACK: USER})
    assert isinstance(_loaded_at(auth_app, CALLBACK, session_id, "POST"), User)


def test_the_read_only_view_refuses_writes(auth_app):
    _, session_id = _logged_in(auth_app, role="admin")
    with auth_app.app_context():
        view = login_sessions.live_user(session_id, read_only=True)
    with pytest.raises(AttributeError, match="read-only"):
        view.role = "user"
    with pytest.raises(AttributeError, match="read-only"):
        view.login_session_id = "another"
    assert view.is_admin and view.role == "admin"


def test_the_copy_reads_the_database_on_every_call(auth_app):
    user_id, session_id = _logged_in(auth_app, access_granted=True)
    with auth_app.app_context():
        assert level(login_sessions.live_user(session_id, read_only=True)) == "subscriber"
        db.session.execute(db.update(User).where(User.id == user_id).values(access_granted=False))
        db.session.commit()
        assert level(login_sessions.live_user(session_id, read_only=True)) == "user"
        db.session.execute(db.update(User).where(User.id == user_id).values(role="admin"))
        db.session.commit()
        copy = login_sessions.live_user(session_id, read_only=True)
        assert copy.is_admin and level(copy) == "admin"
        assert copy.past_due_since is None and copy.created_at.replace(tzinfo=timezone.utc) <= utcnow()


def test_both_paths_carry_the_sign_in_step_fields_read_on_every_call(auth_app):
    from auth.steps import ADD_FACTOR, SECOND_FACTOR, TEAM_SSO, sign_in_step
    from models.sign_in import TeamSignIn
    from models.teams import Team, TeamMember

    user_id, session_id = _logged_in(auth_app, access_granted=True)
    with auth_app.app_context():
        team = Team(name="Desk", owner_id=user_id, seats=2, subscription_status="active")
        db.session.add(team)
        db.session.flush()
        db.session.add(TeamMember(team_id=team.id, user_id=user_id, role="owner"))
        db.session.commit()
        team_id = team.id
    login_id = session_id.split(":")[2]

    def steps():
        with auth_app.app_context():
            return {sign_in_step(found) for found in _both(auth_app, session_id)}

    def change(model, key, **values):
        with auth_app.app_context():
            row = db.session.get(model, key)
            if row is None:
                row = model(team_id=key)
                db.session.add(row)
            for name, value in values.items():
                setattr(row, name, value)
            db.session.commit()

    assert steps() == {None}
    with auth_app.app_context():
        user, copy = _both(auth_app, session_id)
        assert (copy.login_method, copy.login_pending, copy.two_factor) == ("password", False, False)
        assert copy.team_sso_required is None and user.team_mfa_required is None
    change(TeamSignIn, team_id, mfa_required=True)
    assert steps() == {ADD_FACTOR}
    change(User, user_id, two_factor=True)
    assert steps() == {None}
    change(LoginSession, login_id, second_factor_pending=True)
    assert steps() == {SECOND_FACTOR}
    change(TeamSignIn, team_id, sso_required=True)
    assert steps() == {TEAM_SSO}
    change(LoginSession, login_id, method=f"team:{team_id}", second_factor_pending=False)
    assert steps() == {None}
