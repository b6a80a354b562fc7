"""Paid seats lowered below the members by a signed Stripe webhook: the owner and admins are told on every page and
by email, invitations stop, and after TEAM_OVER_SEATS_GRACE_DAYS only the paid seats keep access (owner and admins
first, then by join date) until seats are raised or members removed; every step audited."""
import email
import re
import time
from datetime import timedelta
from email import policy

import pytest

from extensions import db
from models.accounts import utcnow
from models.teams import Team
from tests.billing.conftest import deliver
from tests.teams.flow import Person, audit_details, invitation, make_team, team_row

DAY = timedelta(days=1)


class Desk:
    """A team whose owner joined last: members early (joined 10 days ago), admin (5), late (1)."""

    def __init__(self, app, fake, seats):
        self.app, self.fake = app, fake
        self.owner = Person(app, "desk-owner@example.com")
        self.team_id = make_team(app, fake, self.owner.user_id, name="Desk", seats=seats)
        self.owner.team_id = self.team_id
        now = utcnow()
        self.early = Person(app, "early@example.com").join(self.team_id, "member", now - 10 * DAY)
        self.admin = Person(app, "admin@example.com").join(self.team_id, "admin", now - 5 * DAY)
        self.late = Person(app, "late@example.com").join(self.team_id, "member", now - DAY)
        self.sub_id = team_row(app, self.team_id)["stripe_subscription_id"]

    def seats_in_stripe(self, quantity):
        """Change the quantity at Stripe (as the Customer Portal would) and deliver the signed webhook."""
        self.fake.subscriptions[self.sub_id]["items"]["data"][0]["quantity"] = quantity
        event = self.fake.event("customer.subscription.updated", self.fake.subscriptions[self.sub_id])
        response = deliver(self.owner.client, event)
        assert response.status_code == 200 and response.get_json()["outcome"] == "applied", response.get_data()
        assert team_row(self.app, self.team_id)["seats"] == quantity

    def grace_passes(self):
        """Move the team's over-seats start back beyond the grace period (the stored time; nobody waits)."""
        assert 'id="team-over-seats"' in self.owner.client.get("/team").get_data(as_text=True)
        with self.app.app_context():
            team = db.session.get(Team, self.team_id)
            team.over_seats_since = utcnow() - timedelta(days=self.app.config["TEAM_OVER_SEATS_GRACE_DAYS"], hours=1)
            db.session.commit()

    def access(self):
        """Return {name: whether the gate opens subscriber pages and the API}."""
        return {name: getattr(self, name).access() for name in ("owner", "admin", "early", "late")}


@pytest.fixture
def mail_app(app, mailbox):
    """Return the team app with its mail going to the module's aiosmtpd server."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox[1])
    return app


def _mails_to(mailbox, address):
    """Return the (subject, body) of every email aiosmtpd received for address."""
    found = []
    for recipients, raw in mailbox[0].messages:
        if address in recipients:
            message = email.message_from_string(raw, policy=policy.default)
            found.append((message["Subject"], message.get_body(preferencelist=("plain",)).get_content()))
    return found


def _send_queued(app):
    """Send the team emails that are due now with the cron command; wait for any the background sender holds."""
    from models.teams import TeamMail

    result = app.test_cli_runner().invoke(args=["teams", "send-mail"])
    assert result.exit_code == 0 and "team emails sent" in result.output, result.output
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with app.app_context():
            if not db.session.execute(db.select(TeamMail.id).where(TeamMail.state == "queued")).first():
                return
        time.sleep(0.1)
    raise AssertionError("team emails still queued")


def test_a_seat_decrease_from_stripe_tells_the_managers_everywhere_and_stops_invitations(mail_app, fake_stripe,
                                                                                          mailbox):
    app = mail_app
    desk = Desk(app, fake_stripe, seats=5)
    pending = desk.owner.pending_invitation("waiting@example.com")
    desk.seats_in_stripe(3)

    # The owner and the admin see it under the navbar of every page: templates and Dash pages alike.
    for person in (desk.owner, desk.admin):
        for path in ("/team", "/account", "/alerts"):
            page = person.client.get(path).get_data(as_text=True)
            banner = re.search(r'id="team-over-seats-banner">(.*?)</div>', page, re.S)
            assert banner and "Desk has 4 members but pays for 3 seats" in banner.group(1), (person.email, path)
            assert "Add 1 seat or remove 1 member" in banner.group(1)
        layout = person.client.get("/_dash-layout").get_data(as_text=True)
        assert "team-over-seats-banner" in layout and "Desk has 4 members but pays for 3 seats" in layout
    for person in (desk.early, desk.late):
        assert "team-over-seats-banner" not in person.client.get("/account").get_data(as_text=True)
        assert "team-over-seats-banner" not in person.client.get("/_dash-layout").get_data(as_text=True)
    alert = re.search(r'id="team-over-seats"[^>]*>(.*?)</div>', desk.owner.client.get("/team").get_data(as_text=True),
                      re.S).group(1)
    assert "4 members, 3 paid seats." in alert and "Everyone keeps access until" in alert

    # Everyone keeps access during the grace period; no invitation fits, and the pending one no longer holds a seat.
    assert desk.access() == {"owner": True, "admin": True, "early": True, "late": True}
    assert invitation(app, pending)["revoked_at"] is not None
    refused = desk.admin.post("/team/invitations", emails="new@example.com")
    assert refused.status_code == 400 and "no one can be invited" in refused.get_data(as_text=True)

    # The owner is emailed once, with the counts and the date.
    _send_queued(app)
    subjects = [subject for subject, _ in _mails_to(mailbox, "desk-owner@example.com")]
    assert subjects.count("Desk: 4 members, 3 paid seats") == 1, subjects
    body = dict(_mails_to(mailbox, "desk-owner@example.com"))["Desk: 4 members, 3 paid seats"]
    assert "Everyone keeps access until" in body and "/team" in body
    detail = audit_details(app, "team.over_seats")
    assert len(detail) == 1 and "4 members, 3 paid seats (Stripe)" in detail[0]
    assert any("revoked waiting@example.com" in d for d in audit_details(app, "team.invite_revoke"))


def test_after_the_grace_period_only_the_paid_seats_keep_access_until_seats_are_raised(mail_app, fake_stripe, mailbox):
    app = mail_app
    desk = Desk(app, fake_stripe, seats=4)
    desk.seats_in_stripe(2)
    desk.grace_passes()
    # The owner (who joined last) and the admin keep their seats; the members, who joined before them, do not.
    assert desk.access() == {"owner": True, "admin": True, "early": False, "late": False}
    late_team = desk.late.client.get("/team").get_data(as_text=True)
    assert "Yours is not one of the paid seats" in late_team
    account = desk.late.client.get("/account").get_data(as_text=True)
    assert 'data-source="none"' in account and "over its paid seats and yours is not one of them" in account
    # The end of the grace period is recorded once, however many pages show it, and the owner is told who lost access.
    for _ in range(2):
        owner_team = desk.owner.client.get("/team").get_data(as_text=True)
    assert re.search(r'id="team-over-seats" data-ended="yes"', owner_team) and "only 2 of them have access" in owner_team
    enforced = audit_details(app, "team.over_seats_enforced")
    assert len(enforced) == 1 and "without it: early@example.com, late@example.com" in enforced[0]
    _send_queued(app)
    ended = [body for subject, body in _mails_to(mailbox, "desk-owner@example.com")
             if subject == "Desk: only 2 of 4 members have access"]
    assert len(ended) == 1 and "early@example.com" in ended[0] and "late@example.com" in ended[0]

    # One seat more: the member who joined first has access again.
    desk.seats_in_stripe(3)
    assert desk.access() == {"owner": True, "admin": True, "early": True, "late": False}
    # Enough seats: everyone, and the notice is gone.
    desk.seats_in_stripe(4)
    assert desk.access() == {"owner": True, "admin": True, "early": True, "late": True}
    assert "team-over-seats-banner" not in desk.owner.client.get("/account").get_data(as_text=True)
    assert team_row(app, desk.team_id)["over_seats_since"] is None
    assert len(audit_details(app, "team.over_seats_resolved")) == 1


def test_removing_members_ends_the_over_seats_state(app, fake_stripe):
    desk = Desk(app, fake_stripe, seats=4)
    desk.seats_in_stripe(3)
    desk.grace_passes()
    assert not desk.late.access()
    assert desk.owner.post(f"/team/members/{desk.early.user_id}/remove").status_code == 303
    assert desk.access() == {"owner": True, "admin": True, "early": False, "late": True}
    assert team_row(app, desk.team_id)["over_seats_since"] is None
    resolved = audit_details(app, "team.over_seats_resolved")
    assert len(resolved) == 1 and "a member removed" in resolved[0]
