"""Every team route tried by two teams' owners, admins and members, an outsider and an anonymous visitor."""
import pytest

from tests.billing.conftest import csrf_token
from tests.teams.flow import roles

ACTORS = ["anonymous", "outsider", "b_member", "b_admin", "b_owner", "a_member", "a_admin", "a_owner"]


def _routes(people):
    """Return {route name: (path, form, {actor: expected status})} aimed at team A's ids."""
    member, invitation = people["a_member"].user_id, people["a_invitation"]
    manage = {"anonymous": 302, "outsider": 404, "b_member": 403, "b_admin": 404, "b_owner": 404,
              "a_member": 403, "a_admin": 303, "a_owner": 303}
    return {
        "invite": ("/team/invitations", {"emails": "new@example.com"},
                   {**manage, "b_admin": 303, "b_owner": 303}),  # B's managers invite to their own team
        "resend": (f"/team/invitations/{invitation}/resend", {}, manage),
        "revoke": (f"/team/invitations/{invitation}/revoke", {}, manage),
        "role": (f"/team/members/{member}/role", {"role": "admin"}, manage),
        "remove": (f"/team/members/{member}/remove", {}, manage),
        "owner": ("/team/owner", {"user_id": str(member)},
                  {**manage, "b_admin": 403, "a_admin": 403, "b_owner": 404}),
        "seats": ("/team/seats", {"seats": "9"}, {**manage, "b_admin": 303, "b_owner": 303}),
    }


def _client(people, app, actor):
    """Return the test client of actor (a fresh one for the anonymous visitor)."""
    if actor == "anonymous":
        client = app.test_client()
        client.get("/healthz")
        return client
    return people[actor].client


@pytest.mark.parametrize("manager", ["a_admin", "a_owner"])
@pytest.mark.parametrize("route", ["invite", "resend", "revoke", "role", "remove", "owner", "seats"])
def test_each_team_route_refuses_everyone_but_its_team_managers(app, two_teams, route, manager):
    path, form, expected = _routes(two_teams)[route]
    before = roles(app, two_teams["a_owner"].team_id)
    # Refused actors first, so the one manager tried finds team A as it was set up.
    actors = [a for a in ACTORS if not (a.startswith("a_") and expected[a] == 303 and a != manager)]
    for actor in sorted(actors, key=lambda a: expected[a] == 303):
        client = _client(two_teams, app, actor)
        fields = {"emails": f"new-{actor}@example.com"} if route == "invite" else form
        response = client.post(path, data={"csrf_token": csrf_token(client), **fields})
        assert response.status_code == expected[actor], (actor, response.status_code,
                                                          response.get_data(as_text=True)[:300])
        if expected[actor] == 302:
            assert response.headers["Location"].startswith("/login")
        if expected[actor] in (403, 404) and route != "invite":
            assert roles(app, two_teams["a_owner"].team_id) == before, f"{actor} changed team A"


def test_team_page_shows_managers_the_controls_and_members_a_read_only_view(app, two_teams):
    for actor in ("a_owner", "a_admin"):
        page = two_teams[actor].client.get("/team").get_data(as_text=True)
        assert 'id="team-invite"' in page and "a-member@example.com" in page and "a-invited@example.com" in page
    member = two_teams["a_member"].client.get("/team")
    text = member.get_data(as_text=True)
    assert member.status_code == 200 and "a-member@example.com" in text and 'id="team-leave"' in text
    assert 'id="team-invite"' not in text and "a-invited@example.com" not in text
    assert "b-owner@example.com" not in text
    outsider = two_teams["outsider"].client.get("/team")
    assert outsider.status_code == 200 and 'id="team-none"' in outsider.get_data(as_text=True)
    anonymous = app.test_client().get("/team")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


def test_leave_is_for_members_and_the_owner_transfers_first(app, two_teams):
    outsider = two_teams["outsider"]
    assert outsider.post("/team/leave").status_code == 404
    owner = two_teams["a_owner"]
    refused = owner.post("/team/leave")
    assert refused.status_code == 409 and "transfer ownership" in refused.get_data(as_text=True)
    assert two_teams["a_member"].post("/team/leave").status_code == 303
    team_id = owner.team_id
    assert "a-member@example.com" not in roles(app, team_id)
    assert owner.post("/team/owner", user_id=str(two_teams["a_admin"].user_id)).status_code == 303
    assert roles(app, team_id) == {"a-owner@example.com": "admin", "a-admin@example.com": "owner"}
    assert owner.post("/team/leave").status_code == 303
    assert roles(app, team_id) == {"a-admin@example.com": "owner"}


def test_forms_without_a_csrf_token_change_nothing(app, two_teams):
    owner = two_teams["a_owner"]
    before = roles(app, owner.team_id)
    for path in ("/team/leave", f"/team/members/{two_teams['a_member'].user_id}/remove", "/team/invitations"):
        assert owner.client.post(path, data={"emails": "x@example.com"}).status_code == 400
    assert roles(app, owner.team_id) == before


def test_owner_role_and_self_removal_are_refused_with_the_reason(app, two_teams):
    admin, owner = two_teams["a_admin"], two_teams["a_owner"]
    demote = admin.post(f"/team/members/{owner.user_id}/role", role="member")
    assert demote.status_code == 409 and "transferring ownership" in demote.get_data(as_text=True)
    removal = admin.post(f"/team/members/{owner.user_id}/remove")
    assert removal.status_code == 409 and "owner cannot be removed" in removal.get_data(as_text=True)
    bad_role = owner.post(f"/team/members/{admin.user_id}/role", role="owner")
    assert bad_role.status_code == 400 and "Choose admin or member" in bad_role.get_data(as_text=True)
    assert owner.post("/team/members/99999999999/remove").status_code == 404
    assert roles(app, owner.team_id)["a-owner@example.com"] == "owner"


def test_role_helpers_answer_for_the_users_own_team_only(app, two_teams):
    from teams.roles import is_team_manager, team_role

    a_team, b_team = two_teams["a_owner"].team_id, two_teams["b_owner"].team_id
    with app.app_context():
        assert [team_role(two_teams[n].user_id) for n in ("a_owner", "a_admin", "a_member", "outsider")] == [
            "owner", "admin", "member", None]
        assert is_team_manager(two_teams["a_admin"].user_id, a_team)
        assert not is_team_manager(two_teams["a_admin"].user_id, b_team)
        assert not is_team_manager(two_teams["a_member"].user_id, a_team)
        assert not is_team_manager(two_teams["outsider"].user_id, a_team)


def test_every_team_change_is_audited_with_who_did_it(app, two_teams):
    from tests.teams.flow import audit_actions

    owner, admin, member = two_teams["a_owner"], two_teams["a_admin"], two_teams["a_member"]
    assert owner.post("/team/invitations", emails="x1@example.com").status_code == 303
    assert admin.post(f"/team/members/{member.user_id}/role", role="admin").status_code == 303
    assert owner.post("/team/owner", user_id=str(admin.user_id)).status_code == 303
    assert admin.post(f"/team/members/{member.user_id}/remove").status_code == 303
    assert owner.post("/team/leave").status_code == 303
    actions = audit_actions(app)
    assert ("team.invite", owner.user_id, None) in actions
    assert ("team.role", admin.user_id, member.user_id) in actions
    assert ("team.owner", owner.user_id, admin.user_id) in actions
    assert ("team.remove", admin.user_id, member.user_id) in actions
    assert ("team.leave", owner.user_id, owner.user_id) in actions
