"""In Chromium: an owner buys 3 seats at the fake Stripe, invites two colleagues who accept from the emails
aiosmtpd received and open the dashboards; a fourth person's invitation is refused; Stripe lowers the seats to 2 by
a signed webhook: the owner sees it on every page, and when the grace period has passed (its stored start moved
back, nobody waits) the colleague who joined last is refused; the owner removes that colleague, which ends the
over-seats state; a view the other colleague shares appears for the owner."""
import json
import re
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa

from models.accounts import utcnow
from models.teams import Team
from tests.harness.live import PASSWORD, browser_cookies, create_user, login_session
from tests.teams import live

TIMEOUT = 30000


def _open_dashboard(page):
    """Open the Production dashboard and wait for its charts."""
    response = page.goto(live.CHART_PAGE)
    assert response.status == 200
    page.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT)


def _session_of(context):
    """Return a requests.Session carrying the browser context's cookies."""
    session = requests.Session()
    for cookie in context.cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    return session


def _chart_request(page, server, body):
    """POST the chart callback from the page's browser context (its cookies); return (status, held data)."""
    csrf = next((c["value"] for c in page.context.cookies() if c["name"] == "_csrf_token"), "")
    answer = page.context.request.post(f"{server.url}/_dash-update-component", data=body,
                                       headers={"Content-Type": "application/json", "X-CSRFToken": csrf})
    payload = answer.json()
    return answer.status, bool(answer.ok and payload["response"][live.CHART]["figure"]["data"])


@pytest.mark.browser
def test_owner_buys_seats_invites_colleagues_and_removes_one(browser, team_server, fake_stripe, mailbox):
    box, _ = mailbox
    server = team_server
    owner_email, colleagues, fourth = "buyer@example.com", ["alice@example.com", "bob@example.com"], "carol@example.com"
    create_user(server, owner_email)
    owner_context = browser.new_context(base_url=server.url)
    owner_context.add_cookies(browser_cookies(login_session(server, owner_email), server))
    contexts = [owner_context]
    try:
        owner = owner_context.new_page()
        errors = []
        owner.on("pageerror", lambda exc: errors.append(str(exc)))

        # Buy 3 seats from the pricing page; Stripe (the fake) takes the payment and sends the webhooks.
        owner.goto("/")
        owner.fill("#landing-team-seats", "3")
        owner.click("#landing-team-checkout")
        owner.wait_for_url(re.compile(re.escape(fake_stripe.url) + r"/c/pay/cs_test_\w+"))
        session_id = owner.url.rsplit("/", 1)[1]
        assert fake_stripe.sessions[session_id]["_quantity"] == 3
        subscription = live.pay_team_checkout(server, fake_stripe, session_id)
        owner.goto("/team")
        assert owner.inner_text("#team-seats-paid") == "3" and owner.inner_text("#team-my-role") == "owner"

        # Invite two colleagues at once; each accepts from the email and opens the dashboards.
        owner.fill("#team-invite-emails", ", ".join(colleagues))
        owner.click("#team-invite")
        owner.wait_for_selector("#team-invitations li[data-invitation-id]")
        assert owner.inner_text("#team-seats-used") == "3"
        links = live.invitation_links(box, server)
        pages = {}
        for address in colleagues:
            assert links[address].startswith(f"{server.url}/invitations/")
            context = browser.new_context(base_url=server.url)
            contexts.append(context)
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(links[address])
            assert page.inner_text("#invitation-email") == address
            page.fill("#password", PASSWORD)
            page.fill("#confirm", PASSWORD)
            page.click("#invitation-signup")
            page.wait_for_url(f"{server.url}/team")
            assert page.inner_text("#team-my-role") == "member"
            pages[address] = page
        for page in pages.values():
            _open_dashboard(page)
        bob = pages["bob@example.com"]
        body = json.dumps(live.chart_body(server, _session_of(bob.context)))
        assert _chart_request(bob, server, body) == (200, True)

        # A fourth person does not fit in 3 seats.
        owner.goto("/team")
        owner.fill("#team-invite-emails", fourth)
        owner.click("#team-invite")
        refusal = owner.wait_for_selector("#team-invite-error")
        assert "0 are free" in refusal.inner_text()
        assert fourth not in live.invitation_links(box, server)

        # Stripe lowers the seats to 2 (the Customer Portal): the owner is told on every page, everyone keeps
        # access for the grace period.
        alice = pages["alice@example.com"]
        subscription["items"]["data"][0]["quantity"] = 2
        assert live.post_event(server, fake_stripe.event("customer.subscription.updated", subscription)) == "applied"
        owner.goto("/team")
        assert "3 members but pays for 2 seats" in owner.inner_text("#team-over-seats-banner")
        owner.set_viewport_size({"width": 390, "height": 844})
        assert owner.is_visible("#team-over-seats-banner")  # under the navbar, not folded into it
        owner.set_viewport_size({"width": 1440, "height": 900})
        _open_dashboard(owner)
        assert "3 members but pays for 2 seats" in owner.inner_text("#team-over-seats-banner")  # the same on dashboards
        assert _chart_request(bob, server, body) == (200, True)
        # The grace period passes: Bob, who joined last, is refused; Alice keeps her seat.
        engine = sa.create_engine(server.env["DATABASE_URL"])
        with engine.begin() as connection:
            connection.execute(Team.__table__.update().values(over_seats_since=utcnow() - timedelta(days=8)))
        engine.dispose()
        assert _chart_request(bob, server, body) == (403, False)
        assert _chart_request(alice, server, body)[0] == 200
        owner.goto("/team")
        assert owner.get_attribute("#team-over-seats", "data-ended") == "yes"
        assert "no seat: no access" in owner.locator("tr", has_text="bob@example.com").inner_text()

        # The owner removes Bob: the team fits its seats again; Bob's next chart request and page are refused.
        owner.locator("tr", has_text="bob@example.com").get_by_role("button", name="Remove").click()
        owner.wait_for_load_state()
        assert "bob@example.com" not in owner.inner_text("#team-members")
        assert owner.locator("#team-over-seats-banner").count() == 0
        assert _chart_request(bob, server, body) == (403, False)
        assert bob.goto(live.CHART_PAGE).status == 403
        assert alice.goto(live.CHART_PAGE).status == 200

        # Alice saves the dashboard on screen as a view shared with the team; the owner finds it in the Views
        # menu with her name, and on /account.
        alice.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT)
        alice.click("#saved-views-menu summary")
        alice.fill("#saved-views-name", "Team Brazil watch")
        alice.check("#saved-views-menu input[name=share]")
        alice.click("#saved-views-save")
        alice.wait_for_load_state()
        owner.goto(live.CHART_PAGE)
        owner.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT)
        owner.click("#saved-views-menu summary")
        shared = owner.locator("#saved-views-menu a.dropdown-item", has_text="Team Brazil watch")
        assert "alice@example.com" in shared.inner_text()
        href = shared.get_attribute("href")
        owner.goto("/account")
        row = owner.locator("#saved-views tr", has_text="by alice@example.com")
        assert row.locator("input[name=name]").input_value() == "Team Brazil watch"
        # The owner opens it and lands on the dashboard as Alice saved it.
        owner.goto(href)
        assert owner.url.startswith(f"{server.url}{live.CHART_PAGE.split('?')[0]}"), owner.url
        assert errors == []
    finally:
        for context in contexts:
            context.close()
