"""A revoked login gets no chart data on its very next request, from either gunicorn worker.

Threads poll a subscriber chart with the victim's cookies (one connection per request, so both workers
answer) while the victim logs out, changes the password elsewhere, or an admin disables or downgrades them.
No chart request sent after the revoking answer came back may be answered with data.
"""
import re
import threading
import time
from dataclasses import dataclass

import pytest
import requests

from tests.auth import admin_ops
from tests.harness import dash_client as dc
from tests.harness.live import PASSWORD, create_user, login_session

POLLERS = 4
ROUNDS = 2
WARM = 0.6  # seconds of polling before the revocation: every worker has served the victim by then
AFTER = 1.5  # seconds of polling after it (the memos this replaces lagged up to 1 s)
CHART = "production-by-country-graph"


@dataclass
class Answer:
    """One chart request as the client saw it."""

    sent: float
    status: int
    data: bool


@pytest.fixture(scope="module")
def admin(two_workers):
    """Return a logged-in admin session."""
    return login_session(two_workers, create_user(two_workers, "revoker@example.com", "--admin"))


def _chart_body(server, session):
    """Return the Production page's by-country chart callback body, with the page's default filters."""
    client = dc.DashClient(session, server.url)
    props = client.page_props("/dashboards/production")
    spec = client.find(CHART, "figure")
    return dc.body(spec, {(i["id"], i["property"]): props[i["id"]][i["property"]] for i in spec["inputs"]})


def _poll(server, cookies, body, stop, answers):
    """POST the chart body with cookies, one connection per request, until stop is set."""
    headers = {"X-CSRFToken": cookies.get("_csrf_token", ""), "Connection": "close"}
    while not stop.is_set():
        sent = time.monotonic()
        response = requests.post(f"{server.url}/_dash-update-component", json=body, headers=headers,
                                 cookies=cookies, timeout=30)
        data = response.status_code == 200 and bool(response.json()["response"][CHART]["figure"]["data"])
        answers.append(Answer(sent, response.status_code, data))


def _while_polled(server, victim, revoke):
    """Poll the chart as victim from several threads, revoke(); return (answers, when revoke's answer came)."""
    body = _chart_body(server, victim)
    cookies = requests.utils.dict_from_cookiejar(victim.cookies)
    stop, answers = threading.Event(), []
    threads = [threading.Thread(target=_poll, args=(server, cookies, body, stop, answers)) for _ in range(POLLERS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(WARM)
        revoke()
        revoked = time.monotonic()
        time.sleep(AFTER)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return answers, revoked


def _check(answers, revoked, refused):
    """Assert the chart answered with data before the revocation and never on a request sent after it."""
    before = [a for a in answers if a.sent < revoked]
    after = [a for a in answers if a.sent > revoked]
    assert sum(a.data for a in before) >= POLLERS, "the chart never answered before the revocation"
    assert len(after) >= 2 * POLLERS, "too few requests after the revocation to tell"
    leaked = [a for a in after if a.data]
    assert not leaked, f"{len(leaked)} of {len(after)} chart answers after the revocation held data"
    assert {a.status for a in after} == {refused}


def _form_token(session, url):
    """Return the csrf_token field of the form on the page at url."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', session.get(url, timeout=30).text).group(1)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_logout_ends_chart_data_at_once(two_workers, round_):
    email = create_user(two_workers, f"leaving-{round_}@example.com", "--comp")
    victim = login_session(two_workers, email)

    def logout():
        token = victim.cookies.get("_csrf_token")
        response = victim.post(f"{two_workers.url}/logout", data={"csrf_token": token}, allow_redirects=False,
                               timeout=30)
        assert response.status_code == 303

    _check(*_while_polled(two_workers, victim, logout), refused=401)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_password_change_ends_other_logins_chart_data_at_once(two_workers, round_):
    email = create_user(two_workers, f"changing-{round_}@example.com", "--comp")
    victim, owner = login_session(two_workers, email), login_session(two_workers, email)
    token = _form_token(owner, f"{two_workers.url}/account")
    new = PASSWORD + " and more"

    def change():
        response = owner.post(f"{two_workers.url}/account/password", allow_redirects=False, timeout=30, data={
            "csrf_token": token, "current_password": PASSWORD, "password": new, "confirm": new})
        assert response.status_code == 303

    _check(*_while_polled(two_workers, victim, change), refused=401)


@pytest.mark.parametrize("field, refused", [("active", 401), ("access_granted", 403)])
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_an_admin_disable_or_downgrade_ends_chart_data_at_once(two_workers, admin, field, refused, round_):
    email = create_user(two_workers, f"{field}-{round_}@example.com", "--comp")
    victim = login_session(two_workers, email)
    dash = dc.DashClient(admin, two_workers.url)
    uid = admin_ops.user_id(dash, email)

    def revoke():
        assert "Unknown" not in admin_ops.confirm_change(dash, uid, field, False)

    _check(*_while_polled(two_workers, victim, revoke), refused=refused)
