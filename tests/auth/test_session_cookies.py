"""Session cookies: verified on every request, never trusted unverified, never shared between requests."""

from tests.auth.conftest import cli_user, client_login


def test_every_request_verifies_its_session_cookie(auth_app, monkeypatch):
    from flask.sessions import SecureCookieSessionInterface

    client = auth_app.test_client()
    client_login(client, cli_user(auth_app, "burst@example.com"))
    assert client.get("/account").status_code == 200  # its forms' CSRF token joins the session cookie
    calls = []
    original = SecureCookieSessionInterface.open_session
    monkeypatch.setattr(SecureCookieSessionInterface, "open_session",
                        lambda self, app, request: calls.append(1) or original(self, app, request))
    for _ in range(5):
        assert client.get("/account").status_code == 200
    assert len(calls) == 5


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
