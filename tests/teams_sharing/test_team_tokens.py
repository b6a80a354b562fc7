"""/team/tokens: a team's owner and admins see and revoke their members' API tokens, nobody else's."""
import re

from extensions import db
from models.accounts import ApiToken, AuditLog, User
from tests.auth.conftest import form_token
from tests.teams_sharing.conftest import PEOPLE, email, logged_in

# One table row: member, token name, token prefix, created, last used.
ROW = (r'<td>([^<]+@example\.com)</td>\s*<td class="token-name">([^<]+)</td>\s*<td><code>([^<]+)…</code></td>\s*'
       r"<td>[^<]+</td>\s*<td>([^<]+)</td>")
API = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2020"


def _tokens(app):
    """Give every person one API token (used once by the A members); return {name: (token id, prefix, raw)}."""
    from auth.api_tokens import create

    made = {}
    with app.app_context():
        for name in PEOPLE:
            row, raw = create(User.by_email(email(name)), name=f"{name} export script")
            made[name] = (row.id, row.prefix, raw)
    return made


def _revoke(client, token_id, with_token=True):
    """POST the revoke form of a token; return the response."""
    data = {"csrf_token": form_token(client, "/account")} if with_token else {}
    return client.post(f"/team/tokens/{token_id}/revoke", data=data)


def test_team_admins_see_and_revoke_their_members_tokens_only(teams):
    app, users, team_ids = teams
    tokens = _tokens(app)
    for name in ("a_member", "a_quiet"):  # last used: only these two have called the API
        assert app.test_client().get(API, headers={"Authorization": f"Bearer {tokens[name][2]}"}).status_code == 200
    clients = {name: logged_in(app, name) for name in PEOPLE}

    for name, team in (("a_owner", "A"), ("a_admin", "A"), ("b_owner", "B")):
        page = clients[name].get("/team/tokens")
        assert page.status_code == 200, name
        text = page.get_data(as_text=True)
        listed = set(re.findall(r"<code>(bf_[^<…]+)…</code>", text))
        assert listed == {tokens[n][1] for n, (t, _) in PEOPLE.items() if t == team}, name
        for member in (n for n, (t, _) in PEOPLE.items() if t == team):
            assert email(member) in text
    rows = re.findall(ROW, clients["a_owner"].get("/team/tokens").get_data(as_text=True))
    assert {prefix: (member, label) for member, label, prefix, _ in rows} == {
        tokens[n][1]: (email(n), f"{n} export script") for n, (t, _) in PEOPLE.items() if t == "A"}
    assert {member for member, _, _, last in rows if last != "never"} == {email("a_member"), email("a_quiet")}

    for name in ("a_member", "a_quiet", "b_member", "outsider"):
        refused = clients[name].get("/team/tokens")
        assert refused.status_code == 403 and "owner and admins see and revoke" in refused.get_data(as_text=True)
        assert _revoke(clients[name], tokens["a_member"][0]).status_code == 403
    assert app.test_client().get("/team/tokens").status_code == 302  # anonymous: to the login page

    # Another team's token is not found; a missing CSRF token changes nothing.
    assert _revoke(clients["b_owner"], tokens["a_member"][0]).status_code == 404
    assert _revoke(clients["a_admin"], tokens["b_member"][0]).status_code == 404
    assert _revoke(clients["a_admin"], tokens["outsider"][0]).status_code == 404
    assert _revoke(clients["a_admin"], 10**30).status_code == 404
    assert _revoke(clients["a_admin"], tokens["a_member"][0], with_token=False).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiToken.id)).where(ApiToken.revoked_at.is_not(None))) == 0

    assert _revoke(clients["a_admin"], tokens["a_member"][0]).status_code == 303
    bearer = {"Authorization": f"Bearer {tokens['a_member'][2]}"}
    assert app.test_client().get(API, headers=bearer).status_code == 401
    assert tokens["a_member"][1] not in clients["a_owner"].get("/team/tokens").get_data(as_text=True)
    assert app.test_client().get(API, headers={"Authorization": f"Bearer {tokens['b_member'][2]}"}).status_code == 200
    with app.app_context():
        [entry] = db.session.execute(db.select(AuditLog).where(AuditLog.action == "team.token_revoked")).scalars()
        assert (entry.actor.email, entry.target.email) == (email("a_admin"), email("a_member"))
        assert entry.detail == f"team {team_ids['A']}: API token {tokens['a_member'][1]}…"
