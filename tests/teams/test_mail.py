"""Team mail cannot break: names that reach a header are one line (refused at input with the reason), a send that
fails leaves the invitation resendable and says so on /team, and with the mail server unreachable an invitation is
retried with a backoff and sent once when it answers again (real SMTP: aiosmtpd)."""
import email
import re
import time
from datetime import timedelta
from email import policy

import pytest

from extensions import db
from models.accounts import utcnow
from models.teams import Team
from tests.billing.conftest import deliver, now
from tests.harness.live import free_port
from tests.teams.flow import Person, make_team, team_row
from tests.web.conftest import Mailbox


def _received(mailbox, address):
    """Return the parsed emails aiosmtpd received for address."""
    return [email.message_from_string(raw, policy=policy.default) for recipients, raw in mailbox.messages
            if address in recipients]


def _wait_for(condition, seconds=20):
    """Poll condition until it holds (the background sender works on its own schedule); return its last value."""
    deadline = time.monotonic() + seconds
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def _mail_row(app, address):
    """Return the latest team email to address as a dict."""
    from models.teams import TeamMail

    with app.app_context():
        db.session.remove()
        row = db.session.execute(db.select(TeamMail).where(TeamMail.recipient == address)
                                 .order_by(TeamMail.id.desc())).scalars().first()
        found = {c.name: getattr(row, c.name) for c in TeamMail.__table__.columns}
        naive = found["created_at"].tzinfo is None  # SQLite hands times back without their zone
        return {**found, "read_at": utcnow().replace(tzinfo=None) if naive else utcnow()}


@pytest.mark.parametrize("name", ["Desk\nBcc: evil@example.com", "Desk\r\nX-Evil: 1", "Desk\u2028Two", "Tab\tDesk"])
def test_a_team_name_that_is_not_one_line_is_refused_at_checkout_with_the_reason(app, fake_stripe, name):
    buyer = Person(app, "multiline@example.com")
    sessions = len(fake_stripe.sessions)
    response = buyer.post("/billing/checkout", plan="team", seats="3", team_name=name)
    assert response.status_code == 400 and "Use one line" in response.get_data(as_text=True)
    assert len(fake_stripe.sessions) == sessions


def test_a_name_from_stripe_metadata_is_made_one_line(app, fake_stripe):
    buyer = Person(app, "metadata@example.com")
    customer = fake_stripe.dispatch("POST", "/v1/customers", {}, {"email": buyer.email},
                                    {"Authorization": f"Bearer {fake_stripe.api_key}"})[1]
    subscription = fake_stripe.create_subscription(customer["id"], price_id=fake_stripe.team_price_id, quantity=2,
                                                   metadata={"plan": "team", "user_id": str(buyer.user_id),
                                                             "team_name": "Edited\r\nin  the\u2028dashboard"})
    event = fake_stripe.event("customer.subscription.created", subscription, created=now())
    assert deliver(buyer.client, event).get_json()["outcome"] == "applied"
    with app.app_context():
        assert db.session.execute(db.select(Team.name)).scalar_one() == "Edited in the dashboard"


def test_an_old_team_name_with_a_line_break_never_breaks_an_invitation(app, fake_stripe, mailbox):
    box, port = mailbox
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    owner = Person(app, "old-name@example.com")
    team_id = make_team(app, fake_stripe, owner.user_id, name="Old\nDesk", seats=4)
    response = owner.post("/team/invitations", emails="colleague-of-old@example.com")
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    received = _received(box, "colleague-of-old@example.com")
    assert len(received) == 1 and received[0]["Subject"] == "Join Old Desk on beanflows"
    assert team_row(app, team_id)["name"] == "Old\nDesk"


def test_with_smtp_unreachable_an_invitation_is_retried_with_a_backoff_and_sent_once_when_it_returns(app, fake_stripe):
    from aiosmtpd.controller import Controller

    port = free_port()  # nothing listens here until the test starts the mail server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, TEAM_MAIL_RETRY_SECONDS=[1, 2])
    owner = Person(app, "patient@example.com")
    make_team(app, fake_stripe, owner.user_id, name="Patient desk", seats=4)
    invited = owner.post("/team/invitations", emails="later@example.com")
    assert invited.status_code == 303
    page = owner.client.get("/team").get_data(as_text=True)
    assert "The mail server did not take the email to later@example.com" in page
    status = re.search(r'class="d-block small invitation-mail[^"]*">([^<]+)<', page).group(1)
    assert "not sent yet" in status and "next try at" in status and "You can also resend it" in status
    assert re.search(r'action="/team/invitations/\d+/resend"', page)
    first = _mail_row(app, "later@example.com")
    assert (first["state"], first["attempts"]) == ("queued", 1) and "ConnectionRefusedError" in first["last_error"]

    # Still down: the next try comes after the second, longer wait.
    # (A row is claimed for a try with a 2-minute lease; the try's failure sets the next time.)
    second = _wait_for(lambda: (row := _mail_row(app, "later@example.com"))["attempts"] >= 2
                       and row["next_at"] - row["read_at"] < timedelta(minutes=1) and row)
    assert second and second["state"] == "queued"
    tried_at = second["next_at"] - timedelta(seconds=2)
    assert first["next_at"] <= tried_at <= first["next_at"] + timedelta(seconds=5)

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert _wait_for(lambda: _received(box, "later@example.com")), "never sent after the server came back"
        # The sender marks the row once the server has taken the email: a moment after it arrived.
        sent = _wait_for(lambda: (row := _mail_row(app, "later@example.com"))["state"] == "sent" and row)
        assert sent and sent["attempts"] >= 3
        with app.app_context():  # a sent email is never tried again, by this or any worker
            from teams import outbox
            assert outbox.send_due() == 0
        assert len(_received(box, "later@example.com")) == 1
        link = re.search(r"(\S+/invitations/\S+)", _received(box, "later@example.com")[0]
                         .get_body(preferencelist=("plain",)).get_content()).group(1)
        assert app.test_client().get(link.replace("http://shop.beanflows.example", "")).status_code == 200
    finally:
        controller.stop()
    status = re.search(r'class="d-block small invitation-mail[^"]*">([^<]+)<',
                       owner.client.get("/team").get_data(as_text=True)).group(1)
    assert status.startswith("email sent")
