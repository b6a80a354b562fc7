"""Login, signup, logout: generic errors, case folding, CSRF, rate limit, open redirects, cookies."""
import pytest

from models.accounts import User
from tests.auth.conftest import cli_user, client_login, dash_for, form_token
from tests.conftest import PASSWORD

EVIL_NEXTS = [
    "//evil.com", "https://evil.com", "http://evil.com/x", "/\\evil.com", "\\\\evil.com", "/\\/evil.com",
    "///evil.com", "https:evil.com", "javascript:alert(1)", "/\t/evil.com", " //evil.com", "%2F%2Fevil.com",
    "evil.com", "//evil.com/%2F..", "/\r\n/evil.com",
]


def _logged_in(client):
    """Return True when the client's session opens /account."""
    return client.get("/account").status_code == 200


def test_generic_error_for_unknown_email_wrong_password_and_disabled_user(auth_app, auth_client):
    cli_user(auth_app, "known@example.com")
    cli_user(auth_app, "gone@example.com")
    with auth_app.app_context():
        from extensions import db

        User.by_email("gone@example.com").active = False
        db.session.commit()
    answers = []
    for email, password in (("known@example.com", "wrong password!"), ("nobody@example.com", PASSWORD),
                            ("gone@example.com", PASSWORD)):
        response = client_login(auth_client, email, password)
        answers.append((response.status_code, "Invalid email or password." in response.get_data(as_text=True)))
        assert not _logged_in(auth_client)
    assert answers == [(401, True)] * 3


def test_email_case_folding(auth_app, auth_client):
    token = form_token(auth_client, "/signup")
    response = auth_client.post("/signup", data={"email": "  Mixed.Case@Example.COM ", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    with auth_app.app_context():
        assert User.by_email("mixed.case@example.com").email == "mixed.case@example.com"
    auth_client.post("/logout", data={"csrf_token": form_token(auth_client, "/logout")})
    assert not _logged_in(auth_client)
    assert client_login(auth_client, "MIXED.CASE@example.com").status_code == 303
    assert _logged_in(auth_client)
    auth_client.post("/logout", data={"csrf_token": form_token(auth_client, "/logout")})
    again = auth_client.post("/signup", data={"email": "mixed.CASE@example.com", "password": PASSWORD,
                                              "csrf_token": form_token(auth_client, "/signup")})
    assert again.status_code == 400 and "could not create an account" in again.get_data(as_text=True)
    result = auth_app.test_cli_runner().invoke(args=["create-user", "MIXED.case@EXAMPLE.com", "--password-stdin"],
                                               input=PASSWORD + "\n")
    assert result.exit_code != 0 and "already exists" in result.output
    with auth_app.app_context():
        from extensions import db

        assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_signup_rejects_bad_input_with_reasons(auth_client):
    token = form_token(auth_client, "/signup")
    bad_email = auth_client.post("/signup", data={"email": "not-an-email", "password": PASSWORD, "csrf_token": token})
    assert bad_email.status_code == 400 and "Enter a valid email address." in bad_email.get_data(as_text=True)
    short = auth_client.post("/signup", data={"email": "ok@example.com", "password": "short", "csrf_token": token})
    assert short.status_code == 400 and "at least 8 characters" in short.get_data(as_text=True)
    assert not _logged_in(auth_client)


def test_create_user_cli_flags(auth_app):
    cli_user(auth_app, "Boss@Example.com", "--admin")
    cli_user(auth_app, "comp@example.com", "--comp")
    cli_user(auth_app, "plain@example.com")
    short = auth_app.test_cli_runner().invoke(args=["create-user", "x@example.com", "--password-stdin"], input="short\n")
    assert short.exit_code != 0
    with auth_app.app_context():
        boss, comp, plain = (User.by_email(e) for e in ("boss@example.com", "comp@example.com", "plain@example.com"))
        assert (boss.role, boss.access_granted) == ("admin", False)
        assert (comp.role, comp.access_granted) == ("user", True)
        assert (plain.role, plain.access_granted) == ("user", False)
        assert User.by_email("x@example.com") is None
        assert boss.password_hash.startswith("$argon2id$")


def test_login_without_csrf_token_is_rejected(auth_app, auth_client):
    cli_user(auth_app, "csrf@example.com")
    auth_client.get("/login")
    no_token = auth_client.post("/login", data={"email": "csrf@example.com", "password": PASSWORD})
    assert no_token.status_code == 400 and not _logged_in(auth_client)
    assert "This form has expired" in no_token.get_data(as_text=True)
    forged = auth_client.post("/login", data={"email": "csrf@example.com", "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 400 and not _logged_in(auth_client)


def test_logout_needs_post_with_csrf(auth_app, auth_client):
    cli_user(auth_app, "out@example.com")
    client_login(auth_client, "out@example.com")
    assert auth_client.get("/logout").status_code == 200 and _logged_in(auth_client)
    assert auth_client.post("/logout").status_code == 400 and _logged_in(auth_client)
    assert auth_client.post("/logout", data={"csrf_token": form_token(auth_client, "/logout")}).status_code == 303
    assert not _logged_in(auth_client)


def test_dash_callback_without_csrf_header_is_rejected(auth_app, auth_client):
    cli_user(auth_app, "cb@example.com", "--admin")
    client_login(auth_client, "cb@example.com")
    dash = dash_for(auth_client)
    from tests.harness.dash_client import body

    payload = body(dash.find("admin-users"))
    assert dash.post(payload).status_code == 200
    without = auth_client.post("/_dash-update-component", json=payload)
    wrong = auth_client.post("/_dash-update-component", json=payload, headers={"X-CSRFToken": "nope"})
    for refused in (without, wrong):
        assert refused.status_code == 400 and set(refused.get_json()) == {"error"}


def _from(app, address):
    """Return a test client whose requests come from address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failed_logins_are_limited_without_locking_the_owner_out(auth_app):
    auth_app.config.update(LOGIN_RATE_LIMIT="3 per minute", LOGIN_ADDRESS_RATE_LIMIT="5 per minute",
                           LOGIN_EMAIL_RATE_LIMIT="8 per minute")
    cli_user(auth_app, "target@example.com")
    cli_user(auth_app, "other@example.com")
    attacker = _from(auth_app, "10.0.0.1")
    for _ in range(3):
        assert client_login(attacker, "target@example.com", "wrong password!").status_code == 401
    blocked = client_login(attacker, "target@example.com")  # even the right password, from this address
    assert blocked.status_code == 429 and "Too many attempts" in blocked.get_data(as_text=True)
    assert not _logged_in(attacker)
    # The owner, from their own address, is not locked out by the attacker's failures.
    owner = _from(auth_app, "10.9.8.7")
    assert client_login(owner, "target@example.com").status_code == 303
    # One address trying many emails hits the per-address limit (its 4 failures so far, the 429 included).
    assert client_login(attacker, "other@example.com", "wrong password!").status_code == 401
    assert client_login(attacker, "other@example.com").status_code == 429
    # Many addresses trying one email hit the slower per-email cap of 8 (4 failures so far).
    statuses = [client_login(_from(auth_app, f"10.0.1.{n}"), "target@example.com", "wrong password!").status_code
                for n in range(5)]
    assert statuses == [401] * 4 + [429]


def test_every_attempt_from_one_address_counts_yet_a_mistyping_owner_gets_in(auth_app):
    auth_app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    cli_user(auth_app, "often@example.com")
    client = auth_app.test_client()
    assert client_login(client, "often@example.com", password="wrong password!").status_code == 401
    assert client_login(client, "often@example.com", password="wrong password!").status_code == 401
    assert client_login(auth_app.test_client(), "often@example.com").status_code == 303
    # Attempts are counted as they arrive (so parallel bursts cannot slip through), successes included.
    assert client_login(auth_app.test_client(), "often@example.com").status_code == 429


@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_next_is_only_honoured_for_local_paths(auth_app, auth_client, evil):
    cli_user(auth_app, "redirect@example.com")
    response = client_login(auth_client, "redirect@example.com", next=evil)
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboards/overview"
    page = auth_client.get("/login", query_string={"next": evil})
    assert page.status_code == 302 and page.headers["Location"] == "/dashboards/overview"
    assert "evil" not in page.headers["Location"]


def test_next_local_path_is_honoured_and_kept_in_the_form(auth_app, auth_client):
    cli_user(auth_app, "local@example.com")
    page = auth_client.get("/dashboards/trade?countries=BRA")
    assert page.status_code == 302
    login_page = auth_client.get(page.headers["Location"]).get_data(as_text=True)
    assert 'value="/dashboards/trade?countries=BRA"' in login_page
    response = client_login(auth_client, "local@example.com", next="/account?tab=tokens")
    assert response.headers["Location"] == "/account?tab=tokens"


def test_session_cookies_are_httponly_and_samesite(auth_app, auth_client):
    cli_user(auth_app, "cookie@example.com")
    response = client_login(auth_client, "cookie@example.com", remember="y")
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name], cookies[name]


def test_remember_me_survives_a_lost_session_cookie(auth_app, auth_client):
    cli_user(auth_app, "remember@example.com")
    client_login(auth_client, "remember@example.com", remember="y")
    auth_client.delete_cookie("session")
    assert _logged_in(auth_client)
    forgetful = auth_app.test_client()
    client_login(forgetful, "remember@example.com")
    forgetful.delete_cookie("session")
    assert not _logged_in(forgetful)


def _signup(app, address, email, password=PASSWORD):
    """Sign up from address through the form; return the response."""
    client = _from(app, address)
    return client.post("/signup", data={"email": email, "password": password, "csrf_token": form_token(client, "/signup")})


def test_signups_are_limited_per_address_and_the_form_says_why(auth_app):
    auth_app.config["SIGNUP_RATE_LIMIT"] = "3 per hour"
    # Mistyped forms create nothing and hash no password: they do not use up the allowance.
    assert _signup(auth_app, "10.2.0.1", "not-an-email").status_code == 400
    assert _signup(auth_app, "10.2.0.1", "short@example.com", "short").status_code == 400
    assert [_signup(auth_app, "10.2.0.1", f"new{n}@example.com").status_code for n in range(3)] == [303] * 3
    blocked = _signup(auth_app, "10.2.0.1", "fourth@example.com")
    page = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and "Too many sign-ups from your address" in page
    assert 'action="/signup"' in page and 'value="fourth@example.com"' in page and PASSWORD not in page
    assert int(blocked.headers["Retry-After"]) > 0
    assert _signup(auth_app, "10.2.0.9", "elsewhere@example.com").status_code == 303  # another address is not held
    with auth_app.app_context():
        from extensions import db

        emails = set(db.session.scalars(db.select(User.email)))
    assert emails == {"new0@example.com", "new1@example.com", "new2@example.com", "elsewhere@example.com"}
