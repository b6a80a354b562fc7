"""Against a running gunicorn: a team bought, two colleagues invited by real email; removing one ends their
chart callbacks, pages, remember cookie and API token on the very next request."""
import re

import requests

from tests.harness.live import PASSWORD
from tests.teams import live


def test_a_removed_member_is_refused_on_the_next_request_everywhere(team_server, fake_stripe, mailbox):
    box, _ = mailbox
    owner = live.buy_team(team_server, fake_stripe, "removal-owner@example.com")
    token = live.form_token(owner, f"{team_server.url}/team", "/team/invitations")
    colleagues = ["stays@example.com", "goes@example.com"]
    response = owner.post(f"{team_server.url}/team/invitations", allow_redirects=False, timeout=30,
                          data={"csrf_token": token, "emails": "\n".join(colleagues)})
    assert response.status_code == 303, response.text[:300]
    links = live.invitation_links(box, team_server)
    assert set(colleagues) <= set(links)
    assert all(links[c].startswith(f"{team_server.url}/invitations/") for c in colleagues)
    sessions = {c: live.accept_by_signing_up(team_server, links[c], PASSWORD) for c in colleagues}
    goes = sessions["goes@example.com"]

    # Before: the chart, the page and an API token all answer; a remember-cookie-only login too.
    body = live.chart_body(team_server, goes)
    assert live.chart_answer(team_server, goes, body) == (200, True)
    assert goes.get(f"{team_server.url}{live.CHART_PAGE}", timeout=30).status_code == 200
    page = goes.get(f"{team_server.url}/account", timeout=30).text
    csrf = re.search(r'action="/account/tokens"[^>]*>\s*<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    created = goes.post(f"{team_server.url}/account/tokens", timeout=30,
                        data={"csrf_token": csrf.group(1), "expires": "30", "name": "notebook"})
    api_token = re.search(r'id="account-new-token">([^<]+)<', created.text).group(1)
    bearer = {"Authorization": f"Bearer {api_token}"}
    assert requests.get(f"{team_server.url}{live.API_QUERY}", headers=bearer, timeout=30).status_code == 200
    remembered = requests.Session()
    login_token = live.form_token(remembered, f"{team_server.url}/login")
    remembered.post(f"{team_server.url}/login", timeout=30, allow_redirects=False, data={
        "csrf_token": login_token, "email": "goes@example.com", "password": PASSWORD, "remember": "y"})
    cookie_only = requests.Session()
    cookie_only.cookies.set("remember_token", remembered.cookies.get("remember_token"))
    assert cookie_only.get(f"{team_server.url}{live.CHART_PAGE}", timeout=30, allow_redirects=False).status_code == 200

    user_id = live.user_id_on_team_page(owner, team_server, "goes@example.com")
    token = live.form_token(owner, f"{team_server.url}/team", f"/team/members/{user_id}/remove")
    removed = owner.post(f"{team_server.url}/team/members/{user_id}/remove", data={"csrf_token": token},
                         allow_redirects=False, timeout=30)
    assert removed.status_code == 303

    assert live.chart_answer(team_server, goes, body) == (403, False)
    assert goes.get(f"{team_server.url}{live.CHART_PAGE}", timeout=30).status_code == 403
    assert requests.get(f"{team_server.url}{live.API_QUERY}", headers=bearer, timeout=30).status_code == 403
    cookie_only = requests.Session()
    cookie_only.cookies.set("remember_token", remembered.cookies.get("remember_token"))
    assert cookie_only.get(f"{team_server.url}{live.CHART_PAGE}", timeout=30, allow_redirects=False).status_code == 403
    # The colleague who stays keeps access.
    stays = sessions["stays@example.com"]
    assert live.chart_answer(team_server, stays, live.chart_body(team_server, stays)) == (200, True)
