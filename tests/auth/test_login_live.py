"""Login, signup and logout through real HTTP against gunicorn, as the conftest helpers use them."""
import re

import requests

from tests.conftest import create_user, login_session


def _csrf(session, url):
    """Return the CSRF token of the form at url."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', session.get(url, timeout=10).text).group(1)


def test_login_session_reaches_account_and_logout_ends_it(live_server):
    email = create_user(live_server, "live-login@example.com")
    session = login_session(live_server, email)
    account = session.get(f"{live_server.url}/account", allow_redirects=False, timeout=10)
    assert account.status_code == 200 and email in account.text
    token = _csrf(session, f"{live_server.url}/account")
    out = session.post(f"{live_server.url}/logout", data={"csrf_token": token}, allow_redirects=False, timeout=10)
    assert out.status_code == 303
    again = session.get(f"{live_server.url}/account", allow_redirects=False, timeout=10)
    assert again.status_code == 302 and again.headers["Location"].startswith("/login?next=/account")


def test_signup_logs_in_and_honours_next(live_server):
    session = requests.Session()
    token = _csrf(session, f"{live_server.url}/signup")
    response = session.post(
        f"{live_server.url}/signup",
        data={"email": "New.Person@Example.com", "password": "a long enough password", "csrf_token": token,
              "next": "/account"},
        allow_redirects=False, timeout=10,
    )
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    account = session.get(f"{live_server.url}/account", timeout=10)
    assert "new.person@example.com" in account.text
