"""Buying the Team plan (checkout with seats) and changing seats through the Stripe SDK against the fake."""
import re
from urllib.parse import urlsplit

import pytest

from tests.teams.flow import Person, audit_actions, team_row


def checkout(person, **fields):
    """POST the Team plan's checkout form; return the response."""
    return person.post("/billing/checkout", plan="team", **fields)


def test_team_checkout_sends_the_buyer_to_stripe_with_the_team_price_and_seats(app, fake_stripe):
    buyer = Person(app, "buyer@example.com")
    response = checkout(buyer, seats="4", team_name="Roasters desk")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(fake_stripe.url + "/c/pay/")
    session = fake_stripe.sessions[urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1]]
    assert (session["_price"], session["_quantity"]) == ("price_test_team", 4)
    assert session["_subscription_metadata"] == {"user_id": str(buyer.user_id), "plan": "team",
                                                 "team_name": "Roasters desk"}
    assert session["success_url"].startswith("http://shop.beanflows.example/billing/success")


@pytest.mark.parametrize("seats, reason", [("1", "between 2 and 500"), ("0", "between 2 and 500"),
                                           ("501", "between 2 and 500"), ("three", "between 2 and 500"),
                                           ("", "between 2 and 500"), ("2.5", "between 2 and 500")])
def test_bad_seat_counts_re_render_the_form_with_the_reason(app, fake_stripe, seats, reason):
    buyer = Person(app, f"buyer-{len(seats)}-{seats.replace('.', '_')}@example.com")
    before = len(fake_stripe.sessions)
    response = checkout(buyer, seats=seats, team_name="Desk")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and reason in text
    assert 'value="Desk"' in text  # what was typed is kept
    assert len(fake_stripe.sessions) == before


def test_a_team_member_cannot_buy_a_second_team(app, two_teams, fake_stripe):
    before = len(fake_stripe.sessions)
    response = checkout(two_teams["a_member"], seats="3")
    assert response.status_code == 409 and "already in the team Team A (as member)" in response.get_data(as_text=True)
    assert len(fake_stripe.sessions) == before


def test_the_team_plan_page_and_the_pricing_card_offer_seats(app):
    buyer = Person(app, "looker@example.com")
    page = buyer.client.get("/billing/team")
    assert page.status_code == 200 and 'name="seats"' in page.get_data(as_text=True)
    layout = buyer.client.get("/_dash-layout")
    assert layout.status_code == 200


def test_seats_change_the_subscription_item_quantity_with_proration(app, two_teams, fake_stripe):
    owner = two_teams["a_owner"]
    team = team_row(app, owner.team_id)
    response = owner.post("/team/seats", seats="12")
    assert response.status_code == 303
    item = fake_stripe.subscriptions[team["stripe_subscription_id"]]["items"]["data"][0]
    assert item["quantity"] == 12
    assert fake_stripe.item_updates[-1] == {"item": item["id"], "quantity": "12",
                                            "proration_behavior": "create_prorations"}
    assert team_row(app, owner.team_id)["seats"] == 12
    assert ("team.seats", owner.user_id, owner.user_id) in audit_actions(app)


def test_seats_below_members_and_invitations_are_refused_with_the_reason(app, two_teams, fake_stripe):
    admin = two_teams["a_admin"]
    calls = len(fake_stripe.item_updates)
    # Owner, admin and member (3) plus one pending invitation hold 4 seats.
    refused = admin.post("/team/seats", seats="3")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "uses 4 seats (3 members and 1 pending invitation)" in text
    assert len(fake_stripe.item_updates) == calls and team_row(app, admin.team_id)["seats"] == 8
    for bad in ("1", "many", ""):
        response = admin.post("/team/seats", seats=bad)
        assert response.status_code == 400 and "between 2 and 500" in response.get_data(as_text=True)
    assert admin.post(f"/team/invitations/{two_teams['a_invitation']}/revoke").status_code == 303
    assert admin.post("/team/seats", seats="3").status_code == 303
    assert team_row(app, admin.team_id)["seats"] == 3
    page = admin.client.get("/team").get_data(as_text=True)
    assert re.search(r'id="team-seats-paid">3<', page)


def test_with_stripe_unreachable_seats_and_checkout_say_so_and_change_nothing(tmp_path, real_data_dir, fake_stripe):
    from extensions import db
    from models.teams import Team
    from tests.billing.conftest import BASE_URL, make_app, stripe_settings
    from tests.conftest import free_port
    from tests.teams.flow import make_team

    app = make_app(tmp_path, real_data_dir, BASE_URL=BASE_URL,
                   **{**stripe_settings(fake_stripe), "STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}"})
    owner = Person(app, "offline-owner@example.com")
    owner.team_id = make_team(app, fake_stripe, owner.user_id, name="Offline desk", seats=4)
    before, audits = team_row(app, owner.team_id), len(audit_actions(app))
    response = owner.post("/team/seats", seats="6")
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and "payment provider is unreachable" in text and "nothing was changed" in text
    assert team_row(app, owner.team_id) == before and len(audit_actions(app)) == audits
    buyer = Person(app, "offline-buyer@example.com")
    response = checkout(buyer, seats="3", team_name="Never made")
    assert response.status_code == 503 and "payment provider is unreachable" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Team)).scalar_one() == 1
