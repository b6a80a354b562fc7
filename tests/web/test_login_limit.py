"""The login limit holds across gunicorn workers (counts in the users database) and does not lock the owner out."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.conftest import PASSWORD, create_user


def _attempt(server, email, password, address=None, start=None):
    """Log in on a new connection (so any worker may answer); return the status."""
    headers = {"X-Forwarded-For": address} if address else {}
    with requests.Session() as session:
        page = session.get(server.url + "/login", headers=headers, timeout=20)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        if start is not None:
            start.wait(timeout=20)  # every attempt holds its form, then all post at once
        return session.post(server.url + "/login", data={"email": email, "password": password, "csrf_token": token},
                            headers=headers, allow_redirects=False, timeout=20).status_code


def test_login_limit_holds_across_two_workers(live):
    server = live(workers=2, LOGIN_RATE_LIMIT="5 per minute")
    email = create_user(server, "target@example.com")
    # Without trusted proxies a forged X-Forwarded-For changes nothing.
    forged = [f"198.51.100.{n}" for n in range(12)]
    statuses = [_attempt(server, email, "wrong password!", address) for address in forged]
    assert statuses == [401] * 5 + [429] * 7, statuses


def test_an_attacker_elsewhere_does_not_lock_the_owner_out(live):
    server = live(workers=2, PROXY_HOPS="1", LOGIN_RATE_LIMIT="5 per minute")
    email = create_user(server, "owner@example.com")
    statuses = [_attempt(server, email, "wrong password!", "203.0.113.5") for _ in range(7)]
    assert statuses == [401] * 5 + [429] * 2
    assert _attempt(server, email, PASSWORD, "203.0.113.5") == 429
    assert _attempt(server, email, PASSWORD, "192.0.2.44") == 303


def test_a_parallel_burst_does_not_slip_past_the_limit(live):
    server = live(workers=2, LOGIN_RATE_LIMIT="5 per minute")
    email = create_user(server, "burst@example.com")
    start = threading.Barrier(12)
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: _attempt(server, email, "wrong password!", start=start), range(12)))
    assert sorted(statuses) == [401] * 5 + [429] * 7, statuses
