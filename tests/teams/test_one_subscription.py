"""One team, one subscription: a Team checkout pays for the buyer's own team or a new one; a second checkout for a
team that follows a live subscription is refused before payment; a second live subscription arriving by webhook is
recorded for the site admins, never applied."""
from urllib.parse import urlsplit

from extensions import db
from models.teams import Team
from tests.billing.conftest import deliver, now
from tests.teams.flow import Person, audit_details, make_team, roles, team_row


def _checkout(person, fake, **fields):
    """Post the Team checkout; return (response, the Checkout Session id or None)."""
    response = person.post("/billing/checkout", plan="team", **fields)
    if response.status_code != 303:
        return response, None
    return response, urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1]


def _send(person, fake, event_type, obj, created):
    """Deliver a signed event; return the outcome."""
    response = deliver(person.client, fake.event(event_type, obj, created=created))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["outcome"]


def _pay(person, fake, session_id, created):
    """Pay a Team checkout at the fake Stripe and deliver its webhooks; return the subscription."""
    session, subscription = fake.complete_checkout(session_id)
    assert _send(person, fake, "checkout.session.completed", session, created) == "applied"
    assert _send(person, fake, "customer.subscription.created", subscription, created + 1) == "applied"
    return subscription


def _teams(app):
    """Return {team name: team row} of every team."""
    with app.app_context():
        return {team.name: team_row(app, team.id) for team in db.session.execute(db.select(Team)).scalars()}


def test_an_ex_owner_who_buys_again_gets_a_new_team_and_the_old_one_keeps_its_own_subscription(app, fake_stripe):
    start = now()
    buyer, colleague = Person(app, "ex-owner@example.com"), Person(app, "heir@example.com")
    _, session_id = _checkout(buyer, fake_stripe, seats="2", team_name="Old desk")
    first = _pay(buyer, fake_stripe, session_id, start)
    old = _teams(app)["Old desk"]
    colleague.join(old["id"], "admin")
    assert buyer.post("/team/owner", user_id=str(colleague.user_id)).status_code == 303
    assert buyer.post("/team/leave").status_code == 303

    response, session_id = _checkout(buyer, fake_stripe, seats="5", team_name="New desk")
    assert response.status_code == 303
    assert "team_id" not in fake_stripe.sessions[session_id]["_subscription_metadata"]
    second = _pay(buyer, fake_stripe, session_id, start + 10)
    teams = _teams(app)
    assert roles(app, teams["New desk"]["id"]) == {"ex-owner@example.com": "owner"}
    assert (teams["New desk"]["stripe_subscription_id"], teams["New desk"]["seats"]) == (second["id"], 5)
    assert (teams["Old desk"]["stripe_subscription_id"], teams["Old desk"]["seats"]) == (first["id"], 2)
    assert buyer.client.get("/team").status_code == 200 and buyer.access()
    # Each team's invoices move only its own seats.
    for subscription, created in ((first, start + 20), (second, start + 30), (first, start + 40)):
        _send(buyer, fake_stripe, "invoice.paid", fake_stripe.invoice(subscription["id"]), created)
    teams = _teams(app)
    assert (teams["Old desk"]["seats"], teams["New desk"]["seats"]) == (2, 5)


def test_a_second_checkout_for_a_team_with_a_live_subscription_is_refused_before_payment(app, fake_stripe):
    owner = Person(app, "unpaid-owner@example.com")
    team_id = make_team(app, fake_stripe, owner.user_id, name="Unpaid desk", seats=3, status="unpaid")
    sessions = len(fake_stripe.sessions)
    page = owner.client.get("/billing/team").get_data(as_text=True)
    assert "Unpaid desk already pays through a live Team subscription (unpaid, 3 seats)" in page
    response, _ = _checkout(owner, fake_stripe, seats="4")
    text = response.get_data(as_text=True)
    assert response.status_code == 409 and "a second one would bill twice" in text and "billing portal" in text
    assert len(fake_stripe.sessions) == sessions
    # Once that subscription has ended, the owner pays again for the same team.
    with app.app_context():
        db.session.get(Team, team_id).subscription_status = "canceled"
        db.session.commit()
    response, session_id = _checkout(owner, fake_stripe, seats="4")
    assert response.status_code == 303
    assert fake_stripe.sessions[session_id]["_subscription_metadata"]["team_id"] == str(team_id)


def test_a_second_live_subscription_from_a_webhook_is_recorded_not_applied_and_shown_to_site_admins(app, fake_stripe):
    from auth.admin_teams import audit_rows, team_rows

    start = now()
    owner = Person(app, "double@example.com")
    _, session_id = _checkout(owner, fake_stripe, seats="3", team_name="Double desk")
    first = _pay(owner, fake_stripe, session_id, start)
    team = _teams(app)["Double desk"]
    # A second subscription for the same team, e.g. made in Stripe's dashboard or a second paid checkout.
    second = fake_stripe.create_subscription(first["customer"], price_id=fake_stripe.team_price_id, quantity=7,
                                             metadata={"plan": "team", "user_id": str(owner.user_id),
                                                       "team_id": str(team["id"])})
    for offset, event_type in enumerate(("customer.subscription.created", "customer.subscription.updated")):
        assert _send(owner, fake_stripe, event_type, second, start + 10 + offset) == "unapplied"
    assert _send(owner, fake_stripe, "invoice.paid", fake_stripe.invoice(second["id"]), start + 20) == "unapplied"
    after = _teams(app)["Double desk"]
    assert (after["stripe_subscription_id"], after["seats"]) == (first["id"], 3)
    with app.app_context():
        row = next(r for r in team_rows() if r["id"] == team["id"])
        assert row["unapplied"] == 1 and second["id"] in row["status"] and "7 seats" in row["status"]
        assert [r for r in audit_rows() if r["action"] == "team.subscription_unapplied"]
    assert len(audit_details(app, "team.subscription_unapplied")) == 1
    shown = app.test_cli_runner().invoke(args=["teams", "show", str(team["id"])])
    assert f"Unapplied second subscription: {second['id']} (active, 7 seats" in shown.output, shown.output
    # When it is cancelled (support refunds it) it is no longer shown; the team's own subscription is untouched.
    fake_stripe.update_subscription(second["id"], status="canceled", ended_at=start + 30)
    assert _send(owner, fake_stripe, "customer.subscription.deleted", second, start + 30) == "ignored"
    with app.app_context():
        assert next(r for r in team_rows() if r["id"] == team["id"])["unapplied"] == 0
    assert _teams(app)["Double desk"]["subscription_status"] == "active" and owner.access()
