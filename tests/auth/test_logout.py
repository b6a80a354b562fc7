"""Logging out ends that login server-side: its old cookies open nothing; other logins live on."""
from tests.auth.conftest import cli_user, client_login, form_token

API = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2020"


def _replay(app, name, value):
    """Return a fresh test client carrying only one old cookie."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def test_logout_revokes_the_session_and_remember_cookies(auth_app):
    cli_user(auth_app, "leaver@example.com", "--comp")
    leaving, other = auth_app.test_client(), auth_app.test_client()
    assert client_login(leaving, "leaver@example.com", remember="y").status_code == 303
    assert client_login(other, "leaver@example.com").status_code == 303
    old_session = leaving.get_cookie("session").value
    old_remember = leaving.get_cookie("remember_token").value
    assert _replay(auth_app, "session", old_session).get("/account").status_code == 200
    assert _replay(auth_app, "remember_token", old_remember).get("/account").status_code == 200

    logout = leaving.post("/logout", data={"csrf_token": form_token(leaving, "/account")})
    assert logout.status_code == 303

    assert _replay(auth_app, "session", old_session).get("/account").status_code == 302
    assert _replay(auth_app, "remember_token", old_remember).get("/account").status_code == 302
    assert _replay(auth_app, "session", old_session).get(API).status_code == 401
    assert _replay(auth_app, "remember_token", old_remember).get(API).status_code == 401
    # The same user's other login is untouched.
    assert other.get("/account").status_code == 200
    assert other.get(API).status_code == 200
