"""A team's own single sign-on: the owner sets it up, may require it and two-factor; members join and sign in."""
import re
import time

import pyotp
import pytest

from auth.sealed import unseal
from extensions import db
from models.accounts import AuditLog, User, utcnow
from models.sign_in import TeamSignIn
from models.teams import Team, TeamInvitation, TeamMember
from tests.conftest import PASSWORD
from tests.signin.conftest import add_user, login, make_app, post, signed_in
from tests.signin.provider import authorize, local, sign_in, start

SECRET = "the-teams-client-secret"


def make_team(app, owner, seats=3, members=()):
    """Write an active team of `seats` owned by a new user `owner`, with members; return its id."""
    owner_id = add_user(app, owner)
    with app.app_context():
        team = Team(name="Corp desk", owner_id=owner_id, seats=seats, subscription_status="active")
        db.session.add(team)
        db.session.flush()
        db.session.add(TeamMember(team_id=team.id, user_id=owner_id, role="owner"))
        db.session.commit()
        team_id = team.id
    for email in members:
        user_id = add_user(app, email)
        with app.app_context():
            db.session.add(TeamMember(team_id=team_id, user_id=user_id, role="member"))
            db.session.commit()
    return team_id


def settings(idp, **fields):
    """Return the /team/sso form for idp."""
    return {"issuer": idp.issuer, "client_id": "corp-beanflows", "client_secret": SECRET, **fields}


def save(client, **fields):
    """Post the team's single sign-on form; return the response."""
    return post(client, "/team/sso", page="/team", **fields)


@pytest.fixture
def corp(tmp_path, idps):
    """Return (app, team id, owner's client) of a team of 3 seats (owner and one member) with its provider saved."""
    _, team_idp = idps
    app = make_app(tmp_path)
    team_id = make_team(app, "olga@corp.example", members=["mo@corp.example"])
    owner = app.test_client()
    login(owner, "olga@corp.example")
    assert save(owner, **settings(team_idp)).status_code == 303
    return app, team_id, owner


def link_owner(app, team_id, owner, team_idp):
    """Have the owner link the team's provider (password first) and come back signed in through it."""
    team_idp.set_user("olga", email="olga@corp.example", email_verified=True)
    asked = post(owner, "/account/identities", page="/team", provider=f"team-{team_id}", password=PASSWORD)
    assert asked.status_code == 303
    back = owner.get(local(authorize(start(owner, f"team-{team_id}"), "olga")))
    assert back.status_code == 303, back.get_data(as_text=True)[:300]


def test_the_owner_saves_the_provider_and_its_secret_is_never_shown_back(corp, idps):
    app, team_id, owner = corp
    with app.app_context():
        row = db.session.get(TeamSignIn, team_id)
        assert row.client_secret != SECRET and unseal(row.client_secret) == SECRET
        assert db.session.execute(db.select(AuditLog).where(AuditLog.action == "team.sso")).first() is not None
    page = owner.get("/team").get_data(as_text=True)
    assert SECRET not in page and f"/auth/oidc/team-{team_id}/callback" in page
    assert save(owner, **{**settings(idps[1]), "client_secret": ""}).status_code == 303  # empty keeps the secret
    with app.app_context():
        assert unseal(db.session.get(TeamSignIn, team_id).client_secret) == SECRET


def test_only_the_owner_sets_it_and_bad_settings_are_refused_with_the_reason(corp, idps):
    app, _, owner = corp
    member = app.test_client()
    login(member, "mo@corp.example")
    assert save(member, **settings(idps[1])).status_code == 403
    unreachable = save(owner, **settings(idps[1], issuer="http://127.0.0.1:9"))
    assert unreachable.status_code == 400 and "could not be reached" in unreachable.get_data(as_text=True)
    assert save(owner, **settings(idps[1], issuer="http://idp.example.com")).status_code == 400  # not https
    bad = save(owner, **settings(idps[1], domains="corp.example, not a domain"))
    assert bad.status_code == 400 and "not a domain" in bad.get_data(as_text=True)


def test_requiring_it_needs_the_owner_signed_in_through_it(corp, idps):
    app, team_id, owner = corp
    early = save(owner, **settings(idps[1], required="y"))
    assert early.status_code == 400 and "Sign in through the team" in early.get_data(as_text=True)
    link_owner(app, team_id, owner, idps[1])
    assert save(owner, **settings(idps[1], required="y")).status_code == 303
    assert signed_in(owner)  # the owner's own login came through the provider


def test_when_required_members_sign_in_only_through_it(corp, idps):
    app, team_id, owner = corp
    _, team_idp = idps
    member = app.test_client()
    login(member, "mo@corp.example")
    assert signed_in(member)
    link_owner(app, team_id, owner, team_idp)
    save(owner, **settings(team_idp, required="y"))
    sent = member.get("/account")  # the member's password login ends at its next request
    assert sent.status_code == 302 and f"sso=team-{team_id}" in sent.headers["Location"]
    refused = login(app.test_client(), "mo@corp.example")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 401 and "requires signing in through its single sign-on" in text
    assert f"/auth/oidc/team-{team_id}/start" in text
    team_idp.set_user("mo", email="mo@corp.example", email_verified=True)
    fresh = app.test_client()
    assert sign_in(fresh, f"team-{team_id}", team_idp, "mo").headers["Location"] == "/auth/oidc/link"
    done = post(fresh, "/auth/oidc/link", page="/auth/oidc/link", password=PASSWORD, action="password")
    assert done.status_code == 303 and signed_in(fresh)


def test_verified_addresses_of_its_domains_join_while_seats_are_free(corp, idps):
    app, team_id, owner = corp
    _, team_idp = idps
    save(owner, **settings(team_idp, domains="corp.example"))
    team_idp.set_user("nia", email="nia@corp.example", email_verified=True)
    joined = app.test_client()
    assert sign_in(joined, f"team-{team_id}", team_idp, "nia").status_code == 303 and signed_in(joined)
    with app.app_context():
        member = db.session.execute(db.select(TeamMember).join(User, User.id == TeamMember.user_id)
                                    .where(User.email == "nia@corp.example")).scalar_one()
        assert member.team_id == team_id and member.role == "member"
    team_idp.set_user("oz", email="oz@corp.example", email_verified=True)  # the team's 3 seats are taken now
    full = sign_in(app.test_client(), f"team-{team_id}", team_idp, "oz")
    assert full.status_code == 403 and "no free seat" in full.get_data(as_text=True)
    team_idp.set_user("pat", email="pat@elsewhere.example", email_verified=True)
    outside = sign_in(app.test_client(), f"team-{team_id}", team_idp, "pat")
    assert outside.status_code == 403 and "not a member" in outside.get_data(as_text=True)
    team_idp.set_user("quin", email="quin@corp.example", email_verified=False)
    assert sign_in(app.test_client(), f"team-{team_id}", team_idp, "quin").status_code == 403
    with app.app_context():
        assert {User.by_email(e) is None for e in ("oz@corp.example", "pat@elsewhere.example",
                                                   "quin@corp.example")} == {True}


def test_without_domains_joining_stays_by_invitation(corp, idps):
    app, team_id, owner = corp
    _, team_idp = idps
    with app.app_context():
        now = utcnow()
        db.session.add(TeamInvitation(team_id=team_id, email="rae@corp.example", created_at=now, last_sent_at=now,
                                      expires_at=now.replace(year=now.year + 1)))
        db.session.commit()
    team_idp.set_user("sam", email="sam@corp.example", email_verified=True)
    assert sign_in(app.test_client(), f"team-{team_id}", team_idp, "sam").status_code == 403
    team_idp.set_user("rae", email="rae@corp.example", email_verified=True)
    invited = app.test_client()
    assert sign_in(invited, f"team-{team_id}", team_idp, "rae").status_code == 303 and signed_in(invited)
    with app.app_context():
        assert db.session.execute(db.select(TeamInvitation.accepted_at)).scalar_one() is not None


def test_a_team_requiring_two_factor_sends_members_without_one_to_add_it(corp, idps):
    from tests.signin.test_totp import enrol

    app, team_id, owner = corp
    member = app.test_client()
    login(member, "mo@corp.example")
    save(owner, **settings(idps[1], require_mfa="y"))
    for path in ("/account", "/dashboards/overview", "/team"):
        sent = member.get(path)
        assert sent.status_code == 302 and sent.headers["Location"] == "/account/mfa", path
    assert "requires two-factor" in member.get("/account/mfa").get_data(as_text=True)
    secret, _ = enrol(member)
    assert signed_in(member)
    refused = post(member, "/account/mfa/totp/disable", password=PASSWORD)
    assert refused.status_code == 409 and "requires two-factor" in refused.get_data(as_text=True)
    again = app.test_client()
    assert login(again, "mo@corp.example").headers["Location"] == "/login/mfa"
    assert post(again, "/login/mfa", page="/login/mfa", code=pyotp.TOTP(secret).at(time.time() + 30)).status_code == 303


def test_site_admins_must_add_a_factor_where_required(tmp_path):
    app = make_app(tmp_path, REQUIRE_ADMIN_MFA=True)
    add_user(app, "root@example.com", role="admin")
    admin = app.test_client()
    login(admin, "root@example.com")
    sent = admin.get("/admin")
    assert sent.status_code == 302 and sent.headers["Location"] == "/account/mfa"
    assert "Site admins must use two-factor" in admin.get("/account/mfa").get_data(as_text=True)
    from tests.signin.test_totp import enrol

    enrol(admin)
    assert admin.get("/admin").status_code == 200
    relaxed = make_app(tmp_path / "dev", REQUIRE_ADMIN_MFA=False)
    add_user(relaxed, "dev@example.com", role="admin")
    dev = relaxed.test_client()
    login(dev, "dev@example.com")
    assert dev.get("/admin").status_code == 200


def test_the_login_page_finds_a_teams_sign_in_by_domain(corp, idps):
    app, team_id, owner = corp
    save(owner, **settings(idps[1], domains="corp.example"))
    visitor = app.test_client()
    found = post(visitor, "/login/sso", page="/login/sso", email="Someone@Corp.example")
    assert found.status_code == 303 and found.headers["Location"].startswith(f"/auth/oidc/team-{team_id}/start")
    missing = post(visitor, "/login/sso", page="/login/sso", email="a@nowhere.example")
    assert missing.status_code == 404 and re.search("No team signs in", missing.get_data(as_text=True))
