"""One truth about the plan on /account and /team (which plan gives access, per-seat price, seats, total, status,
renewal date, the billing portal for the payer only), named API tokens, plurals and form attributes."""
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

from tests.billing.conftest import deliver, now
from tests.teams.flow import Person, make_team


def _text(html, element_id):
    """Return the text of the element with element_id, tags and runs of spaces removed."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:dd|span|p|div)>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else None


def _bought(app, fake):
    """Buy 3 seats of the Team plan for 'Alpha Desk' through checkout and the signed webhooks; return (owner, sub)."""
    owner = Person(app, "alpha-owner@example.com")
    response = owner.post("/billing/checkout", plan="team", seats="3", team_name="Alpha Desk")
    session, subscription = fake.complete_checkout(urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1])
    for event_type, obj in (("checkout.session.completed", session), ("customer.subscription.created", subscription)):
        assert deliver(owner.client, fake.event(event_type, obj, created=now())).get_json()["outcome"] == "applied"
    return owner, subscription


def test_account_and_team_page_state_one_plan_with_its_price_seats_total_and_renewal(app, fake_stripe):
    owner, subscription = _bought(app, fake_stripe)
    item = subscription["items"]["data"][0]
    unit, seats = item["price"]["unit_amount"], item["quantity"]
    per_seat, total = f"${unit / 100:,.2f}", f"${unit * seats / 100:,.2f}"
    renews = datetime.fromtimestamp(item["current_period_end"], timezone.utc).strftime("%d %b %Y")

    account = owner.client.get("/account").get_data(as_text=True)
    assert len(re.findall(r"<dt[^>]*>\s*Plan\s*</dt>", account)) == 1
    assert _text(account, "billing-plan") == "Team plan (Alpha Desk)"
    assert "Free" not in _text(account, "billing-plan") and "No subscription" not in account
    team_line = _text(account, "billing-team-plan")
    assert team_line == f"Active · {per_seat} per seat · {seats} seats · {total} per month · Renews on {renews}"
    assert 'id="billing-portal"' in account  # the buyer pays: the portal is theirs

    page = owner.client.get("/team").get_data(as_text=True)
    assert _text(page, "team-plan-name") == "Team plan (Alpha Desk)"
    assert _text(page, "team-status") == "Active"
    assert _text(page, "team-unit-price") == per_seat and _text(page, "team-total") == total
    assert _text(page, "team-renewal") == renews
    assert 'id="team-portal"' in page

    # An admin of the team reads the same plan, and is not offered a portal that is not theirs.
    admin = Person(app, "alpha-admin@example.com").join(owner_team_id(app), "admin")
    account = admin.client.get("/account").get_data(as_text=True)
    assert _text(account, "billing-plan") == "Team plan (Alpha Desk)" and _text(account, "billing-team-plan") == team_line
    assert 'id="billing-portal"' not in account and 'id="billing-team-payer"' in account
    page = admin.client.get("/team").get_data(as_text=True)
    assert 'id="team-portal"' not in page and _text(page, "team-total") == total


def owner_team_id(app):
    """Return the id of the one team."""
    from extensions import db
    from models.teams import Team

    with app.app_context():
        return db.session.execute(db.select(Team.id)).scalar_one()


def test_api_tokens_are_named_when_created_and_the_name_is_shown(app, fake_stripe):
    owner, _ = _bought(app, fake_stripe)
    from tests.billing.conftest import csrf_token

    def create(**fields):
        return owner.client.post("/account/tokens", data={"csrf_token": csrf_token(owner.client), "expires": "30",
                                                          **fields})

    missing = create()
    assert missing.status_code == 400 and "Name the token" in missing.get_data(as_text=True)
    broken = create(name="Weekly\nexport")
    assert broken.status_code == 400 and "Use one line" in broken.get_data(as_text=True)
    made = create(name="Weekly export")
    assert made.status_code == 200 and "Your new token “Weekly export”" in made.get_data(as_text=True)
    account = owner.client.get("/account").get_data(as_text=True)
    assert re.findall(r'<td class="token-name">([^<]*)</td>', account) == ["Weekly export"]
    tokens = owner.client.get("/team/tokens").get_data(as_text=True)
    assert re.findall(r'<td class="token-name">([^<]*)</td>', tokens) == ["Weekly export"]


def test_counts_are_worded_right_and_seat_fields_have_no_none_attribute(app, fake_stripe):
    owner = Person(app, "solo-owner@example.com")
    owner.team_id = make_team(app, fake_stripe, owner.user_id, name="Solo", seats=2)
    owner.pending_invitation("only-one@example.com")
    page = owner.client.get("/team").get_data(as_text=True)
    summary = re.sub(r"<[^>]+>|\s+", " ", re.search(r'id="team-summary">(.*?)</p>', page, re.S).group(1))
    assert "(1 member, 1 pending invitation)" in summary
    assert 'autocomplete="None"' not in page
    refused = owner.post("/team/seats", seats="1")
    assert "between 2 and 500" in refused.get_data(as_text=True)
    buyer = Person(app, "looking@example.com")
    assert 'autocomplete="None"' not in buyer.client.get("/billing/team").get_data(as_text=True)
    owner.pending_invitation("second@example.com")  # 1 member + 2 invitations > 2 seats: refused with the words right
    refused = owner.post("/team/seats", seats="2")
    assert "uses 3 seats (1 member and 2 pending invitations)" in refused.get_data(as_text=True)
