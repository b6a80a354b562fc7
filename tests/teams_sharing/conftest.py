"""Teams fixtures: two teams and an outsider, made as rows (the /team routes are another module's)."""
import pytest

from extensions import db
from models.accounts import User
from models.teams import Team, TeamMember
from tests.auth.conftest import auth_app, auth_client, pg_database, pg_template  # noqa: F401  (SQLite, then PostgreSQL)
from tests.auth.conftest import cli_user, client_login

# Team A: owner, admin, two members; team B: owner and a member; an outsider with a subscription of their own.
PEOPLE = {"a_owner": ("A", "owner"), "a_admin": ("A", "admin"), "a_member": ("A", "member"),
          "a_quiet": ("A", "member"), "b_owner": ("B", "owner"), "b_member": ("B", "member"), "outsider": (None, None)}


def email(name):
    """Return the email of one of PEOPLE."""
    return f"{name.replace('_', '.')}@example.com"


def make_teams(app, people=PEOPLE, comp=True):
    """Create the users (subscribers through an admin grant when comp) and teams A and B; return (user ids, team ids)."""
    for name in people:
        cli_user(app, email(name), *(["--comp"] if comp else []))
    with app.app_context():
        users = {name: User.by_email(email(name)).id for name in people}
        teams = {}
        for label in sorted({team for team, _ in people.values() if team}):
            owner = next(n for n, (t, role) in people.items() if t == label and role == "owner")
            team = Team(name=f"Team {label}", owner_id=users[owner], seats=5, subscription_status="active")
            db.session.add(team)
            db.session.flush()
            teams[label] = team.id
        db.session.add_all([TeamMember(team_id=teams[t], user_id=users[n], role=role)
                            for n, (t, role) in people.items() if t])
        db.session.commit()
    return users, teams


def logged_in(app, name):
    """Return a test client logged in as one of PEOPLE."""
    client = app.test_client()
    assert client_login(client, email(name)).status_code in (302, 303)
    return client


@pytest.fixture
def teams(auth_app):
    """Return (app, user ids, team ids) with teams A and B and the outsider, on SQLite then PostgreSQL."""
    users, team_ids = make_teams(auth_app)
    return auth_app, users, team_ids
