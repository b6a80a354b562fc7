"""A gunicorn server with the fake Stripe and a real SMTP server, and the team steps driven over HTTP."""
import email
import json
import re
from email import policy

import requests

from tests.billing.conftest import WEBHOOK_SECRET
from tests.billing.fake_stripe import sign
from tests.harness import dash_client as dc
from tests.harness.live import create_user, login_session

CHART = "production-by-country-graph"
CHART_PAGE = "/dashboards/production"
API_QUERY = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2020"


def form_token(session, url, action=None):
    """Return the csrf_token of the first form on the page (the form posting to action, when given)."""
    text = session.get(url, timeout=30).text
    if action:
        text = text[text.index(f'action="{action}"'):]
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text).group(1)


def post_event(server, event):
    """Deliver a signed Stripe event to the live server's webhook; return the outcome."""
    body = json.dumps(event)
    response = requests.post(f"{server.url}/billing/webhook", data=body, timeout=30,
                             headers={"Stripe-Signature": sign(body, WEBHOOK_SECRET),
                                      "Content-Type": "application/json"})
    assert response.status_code == 200, response.text[:300]
    return response.json()["outcome"]


def pay_team_checkout(server, fake, session_id):
    """Pay a Team plan Checkout Session at the fake Stripe and deliver its webhooks."""
    paid, subscription = fake.complete_checkout(session_id)
    for event in (fake.event("checkout.session.completed", paid),
                  fake.event("customer.subscription.created", subscription)):
        assert post_event(server, event) == "applied"
    return subscription


def invitation_links(mailbox, server):
    """Return {recipient: invitation link} from the emails the SMTP server received."""
    links = {}
    for recipients, raw in mailbox.messages:
        message = email.message_from_string(raw, policy=policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        found = re.search(r"(\S+/invitations/\S+)", body)
        if found:
            for recipient in recipients:
                links[recipient] = found.group(1)
    return links


def accept_by_signing_up(server, link, password):
    """Open an invitation link as a new visitor and create the account; return the logged-in session."""
    session = requests.Session()
    token = form_token(session, link)
    response = session.post(link, data={"csrf_token": token, "password": password, "confirm": password},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 303 and response.headers["Location"] == "/team", response.text[:300]
    session.get(f"{server.url}/team", timeout=30)
    return session


def user_id_on_team_page(session, server, address):
    """Return the user id of the row of address on /team."""
    text = session.get(f"{server.url}/team", timeout=30).text
    return int(re.search(r'<tr data-user-id="(\d+)">\s*<td>' + re.escape(address) + "<", text).group(1))


def chart_body(server, session):
    """Return the Production page's by-country chart callback body, with the page's default filters."""
    client = dc.DashClient(session, server.url)
    props = client.page_props(CHART_PAGE)
    spec = client.find(CHART, "figure")
    return dc.body(spec, {(i["id"], i["property"]): props[i["id"]][i["property"]] for i in spec["inputs"]})


def chart_answer(server, session, body):
    """POST the chart callback; return (status, whether it held data)."""
    response = session.post(f"{server.url}/_dash-update-component", json=body, timeout=60,
                            headers={"X-CSRFToken": session.cookies.get("_csrf_token") or ""})
    data = response.status_code == 200 and bool(response.json()["response"][CHART]["figure"]["data"])
    return response.status_code, data


def buy_team(server, fake, owner_email, seats=3):
    """Create the owner, buy the Team plan for seats at the fake Stripe; return the owner's session."""
    create_user(server, owner_email)
    owner = login_session(server, owner_email)
    token = form_token(owner, f"{server.url}/billing/team", "/billing/checkout")
    response = owner.post(f"{server.url}/billing/checkout", allow_redirects=False, timeout=30,
                          data={"csrf_token": token, "plan": "team", "seats": str(seats), "team_name": "Desk"})
    assert response.status_code == 303 and response.headers["Location"].startswith(fake.url), response.text[:300]
    pay_team_checkout(server, fake, response.headers["Location"].rsplit("/", 1)[1])
    return owner
