"""Session cookies: verified once a second per worker, never trusted unverified, never shared between requests."""
from flask.sessions import SecureCookieSessionInterface

from tests.auth.conftest import cli_user, client_login


def _verifications(monkeypatch):
    """Return a list that grows by one each time a session cookie's signature is checked."""
    calls = []
    original = SecureCookieSessionInterface.open_session
    monkeypatch.setattr(SecureCookieSessionInterface, "open_session",
                        lambda self, app, request: calls.append(1) or original(self, app, request))
    return calls


def test_a_burst_with_one_cookie_verifies_it_once(auth_app, monkeypatch):
    from auth import session_cookies

    monkeypatch.setattr(session_cookies, "SECONDS", 60)  # a slow machine still makes one burst
    client = auth_app.test_client()
    client_login(client, cli_user(auth_app, "burst@example.com"))
    assert client.get("/account").status_code == 200  # its forms' CSRF token joins the session cookie
    calls = _verifications(monkeypatch)
    for _ in range(5):
        assert client.get("/account").status_code == 200
    assert len(calls) == 1


def test_a_tampered_cookie_is_refused_right_after_the_real_one(auth_app):
    client = auth_app.test_client()
    client_login(client, cli_user(auth_app, "tamper@example.com"))
    assert client.get("/account").status_code == 200
    value = client.get_cookie("session").value
    forged = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    client.set_cookie("session", forged)
    assert client.get("/account").status_code == 302  # to the login page: the signature does not verify
    client.set_cookie("session", value)
    assert client.get("/account").status_code == 200


def test_what_one_request_writes_to_its_session_stays_out_of_the_next(auth_app):
    client = auth_app.test_client()
    client_login(client, cli_user(auth_app, "logout@example.com"))
    before = client.get_cookie("session").value
    assert client.get("/account").status_code == 200
    token = client.get_cookie("_csrf_token").value
    assert client.post("/logout", headers={"X-CSRFToken": token},
                       data={"csrf_token": token}).status_code in (302, 303)
    # The cookie from before the logout still decodes to a login, whose login session is now revoked.
    client.set_cookie("session", before)
    assert client.get("/account").status_code == 302
