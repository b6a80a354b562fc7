"""Team access is decided in the one live-user query, on both request paths, SQLite and PostgreSQL."""
from datetime import timedelta

import pytest
from sqlalchemy import event

from auth import api_tokens, login_sessions
from auth.access import level
from extensions import db
from models.accounts import User, utcnow
from models.entitlement import is_subscriber
from models.teams import Team, TeamMember
from tests.auth.conftest import auth_app, pg_database, pg_template  # noqa: F401  (fixtures: SQLite, then PostgreSQL)


def _member(app, role="member", **team_fields):
    """Create a team with team_fields and a logged-in member; return (user id, session id, team id)."""
    with app.app_context():
        owner = User(email="owner@example.com", password_hash="!unusable")
        user = User(email="member@example.com", password_hash="!unusable")
        db.session.add_all([owner, user])
        db.session.flush()
        team = Team(name="Desk", owner_id=owner.id, seats=3, **team_fields)
        db.session.add(team)
        db.session.flush()
        db.session.add_all([TeamMember(team_id=team.id, user_id=owner.id, role="owner"),
                            TeamMember(team_id=team.id, user_id=user.id, role=role)])
        login_sessions.start(user)
        db.session.commit()
        return user.id, user.get_id(), team.id


def _statements(app):
    """Return a list that collects every SQL statement app's engine runs."""
    seen = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


@pytest.mark.parametrize("fields, grants", [
    ({"subscription_status": "active"}, True),
    ({"subscription_status": "trialing"}, True),
    ({"subscription_status": "past_due", "past_due_since": utcnow() - timedelta(days=1)}, True),
    ({"subscription_status": "past_due", "past_due_since": utcnow() - timedelta(days=30)}, False),
    ({"subscription_status": "canceled"}, False),
    ({"subscription_status": "unpaid"}, False),
    ({"subscription_status": None, "access_granted": True}, True),
    ({"subscription_status": "active", "access_ended": True}, False),
    ({"subscription_status": None}, False),
])
def test_both_paths_decide_team_access_alike_in_one_query(auth_app, fields, grants):
    _, session_id, team_id = _member(auth_app, **fields)
    with auth_app.app_context():
        statements = _statements(auth_app)
        user = login_sessions.live_user(session_id)
        # The read-only path runs its one statement on a raw DB-API connection, outside the engine's events.
        copy = login_sessions.live_user(session_id, read_only=True)
        assert len(statements) == 1 and "team_members" in statements[0]
        assert (is_subscriber(user), is_subscriber(copy)) == (grants, grants)
        assert level(user) == level(copy) == ("subscriber" if grants else "user")
        assert len(statements) == 1, statements  # deciding access asked the database nothing more
        assert (user.team_id, copy.team_id, copy.team_role, copy.team_name) == (team_id, team_id, "member", "Desk")


def test_removal_and_cancellation_show_on_the_next_load(auth_app):
    user_id, session_id, team_id = _member(auth_app, subscription_status="active")
    with auth_app.app_context():
        assert is_subscriber(login_sessions.live_user(session_id, read_only=True))
        db.session.get(Team, team_id).subscription_status = "canceled"
        db.session.commit()
        assert not is_subscriber(login_sessions.live_user(session_id, read_only=True))
        db.session.get(Team, team_id).subscription_status = "active"
        db.session.commit()
        assert is_subscriber(login_sessions.live_user(session_id))
        db.session.delete(db.session.execute(db.select(TeamMember).where(TeamMember.user_id == user_id)).scalar_one())
        db.session.commit()
        db.session.remove()
        for read_only in (False, True):
            user = login_sessions.live_user(session_id, read_only=read_only)
            assert user is not None and user.team_id is None and not is_subscriber(user)


def test_an_api_token_carries_its_users_team_in_its_own_query(auth_app):
    user_id, _, team_id = _member(auth_app, subscription_status="active")
    with auth_app.app_context():
        _, raw = api_tokens.create(db.session.get(User, user_id))
        db.session.remove()
    with auth_app.test_request_context("/api/v1/metrics"):
        statements = _statements(auth_app)
        user = api_tokens.user_for_header(f"Bearer {raw}")
        assert is_subscriber(user) and user.team_id == team_id
        # The team came with the token's own query; deciding access looked nothing up in the team tables.
        assert "team_members" in statements[0]
        assert not any("team" in s for s in statements[1:]), statements
        db.session.get(Team, team_id).subscription_status = "unpaid"
        db.session.commit()
        db.session.remove()
        assert not is_subscriber(api_tokens.user_for_header(f"Bearer {raw}"))


@pytest.mark.parametrize("seats, days_over, grants", [
    (2, 8, False),  # past the 7-day grace: owner and admin hold the 2 seats, the member who joined first has none
    (2, 6, True),   # inside the grace period every member keeps access
    (3, 8, True),   # enough seats for the member
])
def test_over_seats_access_is_decided_in_the_same_one_query(auth_app, seats, days_over, grants):
    user_id, session_id, team_id = _member(auth_app, subscription_status="active")
    with auth_app.app_context():
        now = utcnow()
        admin = User(email="admin@example.com", password_hash="!unusable")
        db.session.add(admin)
        db.session.flush()
        # The member joined before the admin: roles come first, then join dates.
        db.session.execute(db.update(TeamMember).where(TeamMember.user_id == user_id)
                           .values(joined_at=now - timedelta(days=30)))
        db.session.add(TeamMember(team_id=team_id, user_id=admin.id, role="admin", joined_at=now - timedelta(days=2)))
        team = db.session.get(Team, team_id)
        team.seats, team.over_seats_since = seats, now - timedelta(days=days_over)
        db.session.commit()
        db.session.remove()
        statements = _statements(auth_app)
        user = login_sessions.live_user(session_id)
        copy = login_sessions.live_user(session_id, read_only=True)
        assert len(statements) == 1
        assert (is_subscriber(user), is_subscriber(copy)) == (grants, grants)
        assert user.team_seats_ahead == copy.team_seats_ahead == 2  # the owner and the admin come first
        assert len(statements) == 1, statements
