"""Teams fixtures: the billing app and fake Stripe, and teams set up in the database or bought through checkout."""
from datetime import timedelta

import pytest

from tests.billing.conftest import (  # noqa: F401  (fixtures used by the team tests)
    add_user, billing_app, billing_client, csrf_token, deliver, fake_stripe, login, now,
)
from tests.teams.flow import Person, make_team


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


WEEK = timedelta(days=7)
