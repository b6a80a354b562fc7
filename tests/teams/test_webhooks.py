"""Team subscriptions from signed webhooks: purchase, seats up and down, cancellation, payment failure and
recovery, in order and out of order; every delivery replayed twice."""
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from extensions import db
from models.teams import Team, TeamMember
from tests.billing.conftest import deliver, now
from tests.teams.flow import Person, audit_actions, roles, team_row


class Bought:
    """A buyer who checked out 3 seats and paid at the fake Stripe (no webhook delivered yet)."""

    def __init__(self, app, fake):
        self.app, self.fake = app, fake
        self.owner = Person(app, "owner@example.com")
        response = self.owner.post("/billing/checkout", plan="team", seats="3", team_name="Desk")
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        session_id = urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1]
        self.session, self.subscription = fake.complete_checkout(session_id)
        self.sub_id = self.subscription["id"]

    def send(self, event_type, obj=None, created=None):
        """Deliver a signed event three times (once, then replayed twice); return the first outcome."""
        event = self.fake.event(event_type, obj or self.fake.subscriptions[self.sub_id], created=created)
        outcomes = []
        for _ in range(3):
            response = deliver(self.owner.client, event)
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
            outcomes.append(response.get_json()["outcome"])
        assert outcomes[1:] == ["duplicate", "duplicate"], outcomes
        return outcomes[0]

    def seats_to(self, quantity):
        """Change the quantity at Stripe (as the Customer Portal would)."""
        self.fake.subscriptions[self.sub_id]["items"]["data"][0]["quantity"] = quantity

    def team(self):
        """Return the one team the purchase made, as a dict."""
        with self.app.app_context():
            teams = db.session.execute(db.select(Team)).scalars().all()
            assert len(teams) == 1, f"{len(teams)} teams"
        return team_row(self.app, teams[0].id)

    def member(self, email):
        """Add a member to the team (as an accepted invitation would) and return them."""
        person = Person(self.app, email)
        return person.join(self.team()["id"])


@pytest.fixture
def bought(app, fake_stripe):
    """Return a Team plan purchase paid at Stripe."""
    return Bought(app, fake_stripe)


def test_checkout_completed_creates_the_team_with_the_buyer_as_owner(bought):
    assert bought.send("checkout.session.completed", bought.session) == "applied"
    team = bought.team()
    assert (team["name"], team["seats"], team["subscription_status"]) == ("Desk", 3, "active")
    assert (team["owner_id"], team["stripe_subscription_id"]) == (bought.owner.user_id, bought.sub_id)
    assert roles(bought.app, team["id"]) == {"owner@example.com": "owner"}
    assert bought.send("customer.subscription.created", created=now() + 1) == "applied"
    assert bought.team()["seats"] == 3
    assert bought.owner.access()
    assert 'id="team-no-access"' not in bought.owner.client.get("/team").get_data(as_text=True)
    owner = bought.owner.client.get("/account").get_data(as_text=True)
    assert 'data-source="team"' in owner and "Desk" in owner
    # The buyer's own (individual) subscription fields are untouched by the team's.
    from tests.billing.conftest import get_user
    assert get_user(bought.app, bought.owner.user_id)["subscription_status"] is None
    assert ("team.create", bought.owner.user_id, bought.owner.user_id) in audit_actions(bought.app)


def test_seats_go_up_and_down_with_the_quantity(bought):
    start = now()
    bought.send("checkout.session.completed", bought.session, created=start)
    bought.seats_to(5)
    assert bought.send("customer.subscription.updated", created=start + 10) == "applied"
    assert bought.team()["seats"] == 5
    bought.seats_to(2)
    assert bought.send("customer.subscription.updated", created=start + 20) == "applied"
    assert bought.team()["seats"] == 2
    seat_changes = [a for a in audit_actions(bought.app) if a[0] == "team.seats"]
    assert len(seat_changes) == 2


def test_out_of_order_events_never_regress_the_team(bought):
    start = now()
    bought.seats_to(6)
    newer = bought.fake.event("customer.subscription.updated", bought.fake.subscriptions[bought.sub_id],
                              created=start + 30)
    # The update arrives before checkout.session.completed: the team is made from Stripe's current copy.
    for _ in range(3):
        deliver(bought.owner.client, newer)
    assert bought.team()["seats"] == 6 and bought.team()["subscription_updated_at"] == start + 30
    assert bought.send("checkout.session.completed", bought.session, created=start) == "stale"
    old_snapshot = {**bought.subscription, "status": "incomplete"}
    assert bought.send("customer.subscription.created", old_snapshot, created=start + 1) == "stale"
    team = bought.team()
    assert (team["seats"], team["subscription_status"], team["subscription_updated_at"]) == (6, "active", start + 30)
    assert roles(bought.app, team["id"]) == {"owner@example.com": "owner"}


def test_cancellation_ends_every_members_access_on_their_next_request(bought):
    start = now()
    bought.send("checkout.session.completed", bought.session, created=start)
    colleague = bought.member("colleague@example.com")
    assert colleague.access() and bought.owner.access()
    bought.fake.update_subscription(bought.sub_id, status="canceled", ended_at=start + 50)
    assert bought.send("customer.subscription.deleted", created=start + 50) == "applied"
    assert bought.team()["subscription_status"] == "canceled"
    assert not colleague.access() and not bought.owner.access()
    assert 'id="team-no-access"' in colleague.client.get("/team").get_data(as_text=True)
    # A stale "active" event afterwards changes nothing.
    assert bought.send("customer.subscription.updated", {**bought.subscription, "status": "active"},
                       created=start + 40) == "stale"
    assert not colleague.access()


def test_a_member_with_their_own_subscription_keeps_it_when_the_team_ends(bought):
    start = now()
    bought.send("checkout.session.completed", bought.session, created=start)
    own = bought.member("own-plan@example.com")
    with bought.app.app_context():
        from models.accounts import User
        db.session.get(User, own.user_id).subscription_status = "active"
        db.session.commit()
    account = own.client.get("/account").get_data(as_text=True)
    assert 'data-source="subscription"' in account and "your own subscription" in account
    bought.fake.update_subscription(bought.sub_id, status="canceled", ended_at=start + 5)
    bought.send("customer.subscription.deleted", created=start + 5)
    assert own.access()


def test_payment_failure_keeps_access_for_the_grace_period_then_recovery_restores_it(bought):
    start = now()
    bought.send("checkout.session.completed", bought.session, created=start)
    colleague = bought.member("colleague@example.com")
    bought.fake.update_subscription(bought.sub_id, status="past_due")
    failed = bought.fake.invoice(bought.sub_id, status="open")
    assert bought.send("invoice.payment_failed", failed, created=start + 10) == "applied"
    team = bought.team()
    assert team["subscription_status"] == "past_due" and team["past_due_since"] is not None
    assert colleague.access(), "inside the grace period the team keeps access"
    with bought.app.app_context():
        row = db.session.get(Team, team["id"])
        row.past_due_since = row.past_due_since - timedelta(days=bought.app.config["PAST_DUE_GRACE_DAYS"] + 1)
        db.session.commit()
    assert not colleague.access(), "after the grace period access ends"
    # An older failure delivered late changes nothing; the payment brings access back.
    assert bought.send("invoice.payment_failed", failed, created=start + 5) == "stale"
    bought.fake.update_subscription(bought.sub_id, status="active")
    assert bought.send("invoice.paid", bought.fake.invoice(bought.sub_id), created=start + 20) == "applied"
    team = bought.team()
    assert (team["subscription_status"], team["past_due_since"]) == ("active", None)
    assert colleague.access()


def test_a_recovered_payment_delivered_before_the_failure_wins(bought):
    start = now()
    bought.send("checkout.session.completed", bought.session, created=start)
    colleague = bought.member("colleague@example.com")
    bought.fake.update_subscription(bought.sub_id, status="active")
    assert bought.send("invoice.paid", bought.fake.invoice(bought.sub_id), created=start + 20) == "applied"
    failed = bought.fake.invoice(bought.sub_id, status="open")
    assert bought.send("invoice.payment_failed", failed, created=start + 10) == "stale"
    assert bought.team()["subscription_status"] == "active" and colleague.access()


def test_team_events_never_touch_the_buyers_individual_plan(app, fake_stripe):
    from tests.billing.flow import Flow

    individual = Flow(app, fake_stripe, email="solo@example.com")
    session, subscription = individual.subscribe()
    assert individual.send(fake_stripe.event("checkout.session.completed", session)) == "applied"
    assert individual.user()["subscription_status"] == "active"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Team)).scalar_one() == 0
        assert db.session.execute(db.select(db.func.count()).select_from(TeamMember)).scalar_one() == 0


def test_the_owner_of_an_ended_team_buys_again_for_the_same_team(bought):
    start = now()
    bought.send("checkout.session.completed", bought.session, created=start)
    colleague = bought.member("colleague@example.com")
    bought.fake.update_subscription(bought.sub_id, status="canceled", ended_at=start + 5)
    bought.send("customer.subscription.deleted", created=start + 5)
    assert not colleague.access()
    team_id = bought.team()["id"]
    response = bought.owner.post("/billing/checkout", plan="team", seats="4")
    assert response.status_code == 303
    session_id = urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1]
    assert bought.fake.sessions[session_id]["_subscription_metadata"]["team_id"] == str(team_id)
    session, subscription = bought.fake.complete_checkout(session_id)
    assert bought.send("checkout.session.completed", session, created=start + 10) == "applied"
    team = bought.team()  # still one team
    assert (team["id"], team["stripe_subscription_id"], team["seats"]) == (team_id, subscription["id"], 4)
    assert colleague.access()
    # The old subscription's late events no longer move the team.
    old = {**bought.fake.subscriptions[bought.sub_id]}
    assert bought.send("customer.subscription.updated", old, created=start + 20) == "ignored"
    assert bought.team()["stripe_subscription_id"] == subscription["id"] and colleague.access()
