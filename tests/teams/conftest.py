"""Teams fixtures: the billing app and fake Stripe, and teams set up in the database or bought through checkout."""
import pytest

from tests.billing.conftest import billing_app, fake_stripe, stripe_settings  # noqa: F401  (fixtures)
from tests.harness.live import migrate_database, start_server
from tests.teams.flow import Person, make_team
from tests.web.conftest import running_smtp


@pytest.fixture
def app(billing_app):
    """Return the Stripe-configured app the team tests run on."""
    billing_app.config["ARGON2_PROFILE"] = "CHEAPEST"
    return billing_app


@pytest.fixture
def two_teams(app, fake_stripe):
    """Return {name: Person} for two teams (owner, admin, member each, 8 seats, a pending invitation) and an outsider."""
    people = {}
    for team in ("a", "b"):
        owner = Person(app, f"{team}-owner@example.com")
        team_id = make_team(app, fake_stripe, owner.user_id, name=f"Team {team.upper()}", seats=8)
        for role in ("admin", "member"):
            people[f"{team}_{role}"] = Person(app, f"{team}-{role}@example.com").join(team_id, role)
        owner.team_id = team_id
        people[f"{team}_owner"] = owner
        people[f"{team}_invitation"] = owner.pending_invitation(f"{team}-invited@example.com")
    people["outsider"] = Person(app, "outsider@example.com")
    return people


@pytest.fixture(scope="module")
def mailbox():
    """Return (mailbox, port) of an aiosmtpd server running for the module."""
    with running_smtp() as server:
        yield server


@pytest.fixture(scope="module")
def team_server(tmp_path_factory, real_data_dir, fake_stripe, mailbox):
    """Return a gunicorn server (SQLite) whose Stripe is the fake and whose mail goes to aiosmtpd."""
    tmp = tmp_path_factory.mktemp("teams-live")
    database_url = f"sqlite:///{tmp / 'users.db'}"
    migrate_database(database_url, real_data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(real_data_dir),
                           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox[1]),
                           **stripe_settings(fake_stripe)}, workers=1, threads=4)
    yield server
    server.stop()
