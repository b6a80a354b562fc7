"""The signup limit holds across gunicorn workers and across app processes on one users database."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.conftest import PASSWORD


def signup(server, email, start=None):
    """Sign up on a new connection (so any worker may answer); return (status, page)."""
    with requests.Session() as session:
        page = session.get(server.url + "/signup", timeout=30)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        if start is not None:
            start.wait(timeout=30)  # every attempt holds its form, then all post at once
        response = session.post(server.url + "/signup", data={"email": email, "password": PASSWORD, "csrf_token": token},
                                allow_redirects=False, timeout=60)
        return response.status_code, response.text


def test_signup_limit_holds_across_two_workers(live):
    server = live(workers=2, SIGNUP_RATE_LIMIT="3 per hour")
    answers = [signup(server, f"worker{n}@example.com") for n in range(6)]
    # Per-worker counts would have let up to six through.
    assert [status for status, _ in answers] == [303] * 3 + [429] * 3, [status for status, _ in answers]
    assert all("Too many sign-ups from your address" in page and 'action="/signup"' in page for _, page in answers[3:])


def test_a_parallel_signup_burst_does_not_slip_past_the_limit(live):
    server = live(workers=2, SIGNUP_RATE_LIMIT="3 per hour")
    start = threading.Barrier(8)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda n: signup(server, f"burst{n}@example.com", start)[0], range(8)))
    assert sorted(statuses) == [303] * 3 + [429] * 5, statuses


def test_signup_limit_holds_across_two_hosts_on_one_users_database(live):
    host_a = live(SIGNUP_RATE_LIMIT="3 per hour")
    host_b = live(SIGNUP_RATE_LIMIT="3 per hour", DATABASE_URL=host_a.env["DATABASE_URL"])
    statuses = [signup((host_a, host_b)[n % 2], f"host{n}@example.com")[0] for n in range(6)]
    assert statuses == [303] * 3 + [429] * 3, statuses
