"""Invitation links: join by signing up or logged in; replayed, expired, forged, other address, revoked, resent."""
import re
import time
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from extensions import db
from models.accounts import User, utcnow
from models.teams import TeamInvitation
from teams import invitations
from tests.billing.conftest import csrf_token
from tests.teams.flow import Person, audit_actions, invitation, roles

PASSWORD = "a long enough password"


def token_of(app, invitation_id):
    """Return the link token of the invitation's latest email."""
    with app.test_request_context():
        return invitations.make_token(db.session.get(TeamInvitation, invitation_id))


def signup(client, token, password=PASSWORD, confirm=None):
    """POST the accept form as a visitor choosing a password."""
    return client.post(f"/invitations/{token}", data={"csrf_token": csrf_token(client), "password": password,
                                                      "confirm": confirm or password})


def visitor(app):
    """Return a fresh anonymous test client."""
    client = app.test_client()
    client.get("/healthz")
    return client


def refusal(response):
    """Return the reason an invitation page gives."""
    found = re.search(r'id="invitation-refused">([^<]+)<', response.get_data(as_text=True))
    return found.group(1) if found else None


def test_a_new_colleague_signs_up_from_the_link_and_gets_access(app, two_teams):
    inv = two_teams["a_invitation"]
    client, token = visitor(app), token_of(app, inv)
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 200 and "a-invited@example.com" in page.get_data(as_text=True)
    assert signup(client, token, confirm="something else").status_code == 400
    joined = signup(client, token)
    assert joined.status_code == 303 and joined.headers["Location"] == "/team"
    assert roles(app, two_teams["a_owner"].team_id)["a-invited@example.com"] == "member"
    row = invitation(app, inv)
    assert row["accepted_at"] is not None and row["accepted_by_id"] is not None
    assert ("team.join", row["accepted_by_id"], row["accepted_by_id"]) in audit_actions(app)
    from tests.billing.gate import api_allows, has_subscriber_access
    assert has_subscriber_access(client) and api_allows(client)
    # Replayed: the link is single use, for the new member and for anyone else.
    assert client.get(f"/invitations/{token}").status_code == 400
    replay = visitor(app).get(f"/invitations/{token}")
    assert replay.status_code == 400 and refusal(replay) == "This invitation has already been used."
    assert signup(visitor(app), token).status_code == 400


def test_a_logged_in_invitee_joins_with_the_button(app, two_teams):
    invitee = Person(app, "a-invited@example.com")
    token = token_of(app, two_teams["a_invitation"])
    assert not invitee.access()
    page = invitee.client.get(f"/invitations/{token}")
    assert 'id="invitation-join"' in page.get_data(as_text=True)
    assert invitee.post(f"/invitations/{token}").status_code == 303
    assert invitee.access()


def test_expired_links_are_refused(app, two_teams, monkeypatch):
    inv = two_teams["a_invitation"]
    with app.app_context():
        row = db.session.get(TeamInvitation, inv)
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    expired = visitor(app).get(f"/invitations/{token_of(app, inv)}")
    assert expired.status_code == 400 and "expired" in refusal(expired)
    # A signature older than 7 days is refused whatever the row says.
    with app.app_context():
        db.session.get(TeamInvitation, inv).expires_at = utcnow() + timedelta(days=30)
        db.session.commit()
    real = time.time
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: real() - 8 * 24 * 3600)
    old = token_of(app, inv)
    monkeypatch.setattr("itsdangerous.timed.time.time", real)
    response = visitor(app).get(f"/invitations/{old}")
    assert response.status_code == 400 and "expired" in refusal(response)
    assert signup(visitor(app), old).status_code == 400
    assert "a-invited@example.com" not in roles(app, two_teams["a_owner"].team_id)


@pytest.mark.parametrize("forgery", ["tampered", "other key", "other salt", "garbage", "unknown id"])
def test_forged_links_are_refused(app, two_teams, forgery):
    inv = two_teams["a_invitation"]
    token = token_of(app, inv)
    if forgery == "tampered":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif forgery == "other key":
        token = URLSafeTimedSerializer("not the key", salt=invitations.SALT).dumps({"iid": inv, "sent": 0})
    elif forgery == "other salt":
        token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="beanflows-password-reset").dumps(
            {"iid": inv, "sent": invitation(app, inv)["last_sent_at"].timestamp()})
    elif forgery == "garbage":
        token = "not-a-token"
    else:
        with app.app_context():
            token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=invitations.SALT).dumps(
                {"iid": 987654, "sent": 0})
    response = visitor(app).get(f"/invitations/{token}")
    assert response.status_code == 400 and refusal(response) == "This invitation link is not valid."
    assert signup(visitor(app), token).status_code == 400
    assert invitation(app, inv)["accepted_at"] is None


def test_a_different_logged_in_user_is_refused(app, two_teams):
    token = token_of(app, two_teams["a_invitation"])
    stranger = two_teams["outsider"]
    response = stranger.client.get(f"/invitations/{token}")
    assert response.status_code == 403 and "another email address" in refusal(response)
    assert stranger.post(f"/invitations/{token}").status_code == 403
    assert "outsider@example.com" not in roles(app, two_teams["a_owner"].team_id)
    assert invitation(app, two_teams["a_invitation"])["accepted_at"] is None


def test_revoked_links_are_refused(app, two_teams):
    inv = two_teams["a_invitation"]
    token = token_of(app, inv)
    assert two_teams["a_admin"].post(f"/team/invitations/{inv}/revoke").status_code == 303
    response = visitor(app).get(f"/invitations/{token}")
    assert response.status_code == 400 and refusal(response) == "This invitation was revoked by the team."
    assert signup(visitor(app), token).status_code == 400
    assert ("team.invite_revoke", two_teams["a_admin"].user_id, None) in audit_actions(app)


def test_resending_replaces_the_link(app, two_teams):
    inv = two_teams["a_invitation"]
    old = token_of(app, inv)
    with app.app_context():  # the resend must land in a later second than the first email
        db.session.get(TeamInvitation, inv).last_sent_at = utcnow() - timedelta(days=1)
        db.session.commit()
    old = token_of(app, inv)
    assert two_teams["a_owner"].post(f"/team/invitations/{inv}/resend").status_code == 303
    response = visitor(app).get(f"/invitations/{old}")
    assert response.status_code == 400 and "sent again" in refusal(response)
    new = token_of(app, inv)
    assert new != old and visitor(app).get(f"/invitations/{new}").status_code == 200


def test_an_address_already_in_another_team_is_refused_with_the_reason(app, two_teams):
    b_member = two_teams["b_member"]
    invitation_id = two_teams["a_owner"].pending_invitation(b_member.email)
    token = token_of(app, invitation_id)
    response = b_member.post(f"/invitations/{token}")
    assert response.status_code == 409 and "already in another team" in refusal(response)
    assert roles(app, two_teams["b_owner"].team_id)[b_member.email] == "member"
    assert b_member.email not in roles(app, two_teams["a_owner"].team_id)


def test_the_page_never_tells_a_visitor_whether_the_address_has_an_account(app, two_teams):
    owner = two_teams["a_owner"]
    with_account = owner.pending_invitation("outsider@example.com")  # outsider has an account
    without = owner.pending_invitation("nobody-yet@example.com")

    def page(invitation_id):
        token = token_of(app, invitation_id)
        text = visitor(app).get(f"/invitations/{token}").get_data(as_text=True)
        text = text.replace(token, "TOKEN").replace("outsider@example.com", "EMAIL")
        text = text.replace("nobody-yet@example.com", "EMAIL")
        return re.sub(r'name="csrf_token"[^>]*>', "", re.sub(r'nonce="[^"]*"', "", text))

    assert page(with_account) == page(without)
    # Signing up with an address that has an account says to log in, and logs no one in.
    client = visitor(app)
    refused = signup(client, token_of(app, with_account))
    assert refused.status_code == 400 and "log in with it" in refused.get_data(as_text=True)
    assert client.get("/team").status_code == 302
    with app.app_context():
        assert User.by_email("outsider@example.com").password_hash == "!unusable"


def test_invitations_beyond_the_paid_seats_are_refused_with_the_reason(app, two_teams):
    owner = two_teams["a_owner"]
    # 8 seats: owner, admin, member and one pending invitation hold 4.
    text = "one@example.com, two@example.com\nthree@example.com, four@example.com,five@example.com"
    refused = owner.post("/team/invitations", emails=text)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "4 are free" in body and "5 invitations" in body
    assert "five@example.com" in body  # the addresses typed are kept in the form
    assert owner.post("/team/invitations", emails=text.rsplit(",", 1)[0]).status_code == 303
    page = owner.client.get("/team").get_data(as_text=True)
    assert re.search(r'id="team-seats-used">8<', page) and re.search(r'id="team-seats-paid">8<', page)
    again = owner.post("/team/invitations", emails="six@example.com")
    assert again.status_code == 400 and "0 are free" in again.get_data(as_text=True)


def test_a_list_with_nothing_usable_is_refused_with_every_reason(app, two_teams):
    owner = two_teams["a_owner"]
    for text, reason in [("not-an-email", "not-an-email is not a valid email address"),
                         ("a-member@example.com", "already a member of this team"),
                         ("a-invited@example.com", "already has a pending invitation"),
                         (" , ", "Enter at least one email address")]:
        response = owner.post("/team/invitations", emails=text)
        assert response.status_code == 400 and reason in response.get_data(as_text=True), text
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(TeamInvitation)).scalar_one() == 2


def test_a_join_beyond_the_paid_seats_is_refused(app, two_teams):
    from models.teams import Team

    inv = two_teams["a_invitation"]
    with app.app_context():
        db.session.get(Team, two_teams["a_owner"].team_id).seats = 3  # e.g. lowered in the Customer Portal
        db.session.commit()
    client = visitor(app)
    response = signup(client, token_of(app, inv))
    assert response.status_code == 409 and "no free seat" in refusal(response)
    assert "a-invited@example.com" not in roles(app, two_teams["a_owner"].team_id)


def test_addresses_pasted_from_a_mail_client_are_invited_and_invalid_ones_named(app, two_teams):
    owner = two_teams["a_owner"]
    team_id = owner.team_id
    response = owner.post("/team/invitations", emails="Ann <ann@example.com>, Bob <bob@example.com>")
    assert response.status_code == 303
    text = 'not-an-email; "Doe, Carl" <carl@example.com>\nDee Example <dee@example.com>, a-member@example.com'
    response = owner.post("/team/invitations", emails=text)
    assert response.status_code == 303
    page = owner.client.get("/team").get_data(as_text=True)
    assert "Not invited: not-an-email is not a valid email address." in page
    assert "a-member@example.com is already a member of this team." in page
    with app.app_context():
        invited = set(db.session.execute(db.select(TeamInvitation.email).where(
            TeamInvitation.team_id == team_id, TeamInvitation.revoked_at.is_(None))).scalars())
    assert invited == {"a-invited@example.com", "ann@example.com", "bob@example.com", "carl@example.com",
                       "dee@example.com"}
