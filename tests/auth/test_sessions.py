"""Disabling ends sessions, remember cookies and tokens at once; password change and reset."""
import logging
import re

import pytest

from auth import admin as admin_service
from models.accounts import ApiToken, PasswordResetUse, User
from extensions import db
from tests.auth.conftest import cli_user, client_login, dash_for, form_token
from tests.auth import admin_ops
from tests.conftest import PASSWORD

API = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2020"
NEW_PASSWORD = "a brand new passphrase"


def _create_token(client):
    """Create an API token on /account and return it."""
    page = client.post("/account/tokens", data={"csrf_token": form_token(client, "/account"), "name": "session test"})
    assert page.status_code == 200
    return re.search(r'id="account-new-token">([^<]+)<', page.get_data(as_text=True)).group(1)


def test_disable_ends_sessions_remember_cookies_and_tokens_at_once(auth_app):
    cli_user(auth_app, "boss@example.com", "--admin")
    cli_user(auth_app, "victim@example.com", "--comp")
    victim, remembered, boss = auth_app.test_client(), auth_app.test_client(), auth_app.test_client()
    client_login(victim, "victim@example.com")
    client_login(remembered, "victim@example.com", remember="y")
    remembered.delete_cookie("session")  # only the remember cookie is left
    token = _create_token(victim)
    victim_dash = dash_for(victim)
    assert victim.get("/dashboards/trade").status_code == 200
    assert remembered.get("/account").status_code == 200
    assert auth_app.test_client().get(API, headers={"Authorization": f"Bearer {token}"}).status_code == 200

    client_login(boss, "boss@example.com")
    status = admin_ops.change(dash_for(boss).session, "", "victim@example.com", "active", False)
    assert "disabled" in status

    assert victim.get("/dashboards/trade").headers["Location"].startswith("/login")
    assert remembered.get("/account").status_code == 302
    assert auth_app.test_client().get(API, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert victim_dash.router("/dashboards/overview").status_code == 401
    assert client_login(auth_app.test_client(), "victim@example.com").status_code == 401

    admin_ops.change(dash_for(boss).session, "", "victim@example.com", "active", True)
    # Enabling again does not bring back old sessions or tokens.
    assert victim.get("/account").status_code == 302
    assert auth_app.test_client().get(API, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client_login(auth_app.test_client(), "victim@example.com").status_code == 303


def test_change_password_keeps_this_session_and_ends_the_others(auth_app):
    cli_user(auth_app, "changer@example.com")
    here, elsewhere = auth_app.test_client(), auth_app.test_client()
    client_login(here, "changer@example.com")
    client_login(elsewhere, "changer@example.com")
    wrong = here.post("/account/password", data={"current_password": "not it at all", "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD, "csrf_token": form_token(here, "/account")})
    assert wrong.status_code == 400 and "not your current password" in wrong.get_data(as_text=True)
    mismatch = here.post("/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD + "x", "csrf_token": form_token(here, "/account")})
    assert mismatch.status_code == 400 and "Passwords do not match." in mismatch.get_data(as_text=True)
    done = here.post("/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD, "csrf_token": form_token(here, "/account")})
    assert done.status_code == 303
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    assert client_login(auth_app.test_client(), "changer@example.com").status_code == 401
    assert client_login(auth_app.test_client(), "changer@example.com", NEW_PASSWORD).status_code == 303


def _reset_link(auth_app, client, email, caplog):
    """Ask for a reset link for email and return it from the server log (no MAIL_SERVER)."""
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        response = client.post("/reset", data={"email": email, "csrf_token": form_token(client, "/reset")})
    assert response.status_code == 303
    links = re.findall(r"http://127\.0\.0\.1:\d+(/reset/\S+)", caplog.text)  # no BASE_URL: loopback
    return links[-1] if links else None


def _set_password(client, link, password=NEW_PASSWORD):
    """Submit the new-password form of a reset link."""
    return client.post(link, data={"password": password, "confirm": password, "csrf_token": form_token(client, "/reset")})


def test_reset_link_sets_a_new_password_once(auth_app, caplog):
    cli_user(auth_app, "forgetful@example.com")
    client = auth_app.test_client()
    logged_in = auth_app.test_client()
    client_login(logged_in, "forgetful@example.com")
    link = _reset_link(auth_app, client, "Forgetful@Example.com", caplog)
    assert link
    assert client.get(link).status_code == 200
    assert _set_password(client, link).status_code == 303
    assert logged_in.get("/account").status_code == 302  # sessions end with the password
    assert client_login(auth_app.test_client(), "forgetful@example.com").status_code == 401
    assert client_login(auth_app.test_client(), "forgetful@example.com", NEW_PASSWORD).status_code == 303
    reused = client.get(link)
    assert reused.status_code == 400 and "no longer valid" in reused.get_data(as_text=True)
    assert _set_password(client, link, "yet another passphrase").status_code == 400
    assert client_login(auth_app.test_client(), "forgetful@example.com", NEW_PASSWORD).status_code == 303
    with auth_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(PasswordResetUse)) == 1


def test_reset_token_is_single_use_even_if_the_password_repeats(auth_app, caplog):
    cli_user(auth_app, "twice@example.com")
    client = auth_app.test_client()
    link = _reset_link(auth_app, client, "twice@example.com", caplog)
    with auth_app.app_context():
        from auth import reset

        reset.consume(link.rsplit("/", 1)[1])
        db.session.commit()
    used = client.get(link)
    assert used.status_code == 400 and "already been used" in used.get_data(as_text=True)


def test_reset_token_expires(auth_app, caplog, monkeypatch):
    cli_user(auth_app, "slow@example.com")
    client = auth_app.test_client()
    link = _reset_link(auth_app, client, "slow@example.com", caplog)
    import itsdangerous.timed

    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + auth_app.config["PASSWORD_RESET_MAX_AGE"] + 5)
    expired = client.get(link)
    monkeypatch.undo()
    assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)
    assert client.get(link).status_code == 200  # the same link inside its lifetime


@pytest.mark.parametrize("tamper", ["append", "other-secret"])
def test_reset_token_must_be_signed_by_this_app(auth_app, caplog, tamper):
    cli_user(auth_app, "signed@example.com")
    client = auth_app.test_client()
    link = _reset_link(auth_app, client, "signed@example.com", caplog)
    if tamper == "append":
        link += "x"
    else:
        from itsdangerous import URLSafeTimedSerializer

        with auth_app.app_context():
            uid = User.by_email("signed@example.com").id
        link = "/reset/" + URLSafeTimedSerializer("another-key", salt="beanflows-password-reset").dumps({"uid": uid, "pw": "x"})
    assert client.get(link).status_code == 400


def test_reset_answers_the_same_for_unknown_and_disabled_emails(auth_app, caplog):
    cli_user(auth_app, "off@example.com")
    with auth_app.app_context():
        User.by_email("off@example.com").active = False
        db.session.commit()
    client = auth_app.test_client()
    for email in ("nobody@example.com", "off@example.com"):
        assert _reset_link(auth_app, client, email, caplog) is None
        page = client.get("/login").get_data(as_text=True)
        assert "If an account exists for that email" in page


def test_reset_email_goes_through_smtp_when_configured(auth_app, smtp_server):
    auth_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    cli_user(auth_app, "mailme@example.com")
    client = auth_app.test_client()
    client.post("/reset", data={"email": "mailme@example.com", "csrf_token": form_token(client, "/reset")})
    assert len(smtp_server.messages) == 1
    sender, recipients, message = smtp_server.messages[0]
    assert recipients == ["mailme@example.com"]
    import email
    from email import policy

    parsed = email.message_from_string(message, policy=policy.default)
    assert parsed["Subject"] == "Reset your beanflows password" and parsed["To"] == "mailme@example.com"
    link = re.search(r"http://127\.0\.0\.1:\d+(/reset/\S+)", parsed.get_content()).group(1)
    assert client.get(link).status_code == 200


def test_admin_service_refuses_non_admin_actors(auth_app):
    cli_user(auth_app, "plain@example.com")
    with auth_app.app_context():
        plain = User.by_email("plain@example.com")
        with pytest.raises(Exception, match="Only admins"):
            admin_service.apply(plain, plain.id, "admin", True)
        assert not User.by_email("plain@example.com").is_admin


def _api_status(auth_app, token):
    """Return the status of an API call carrying only token as Bearer."""
    return auth_app.test_client().get(API, headers={"Authorization": f"Bearer {token}"}).status_code


def test_password_change_ends_every_api_token(auth_app):
    cli_user(auth_app, "owner@example.com", "--comp")
    owner, attacker = auth_app.test_client(), auth_app.test_client()
    client_login(owner, "owner@example.com")
    client_login(attacker, "owner@example.com")  # someone who learnt the password
    stolen, own = _create_token(attacker), _create_token(owner)
    assert _api_status(auth_app, stolen) == _api_status(auth_app, own) == 200
    done = owner.post("/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD, "csrf_token": form_token(owner, "/account")})
    assert done.status_code == 303
    assert _api_status(auth_app, stolen) == _api_status(auth_app, own) == 401
    page = owner.get("/account").get_data(as_text=True)
    assert "API tokens were revoked" in page and stolen[:10] not in page and own[:10] not in page
    fresh = _create_token(owner)  # a token made after the change works
    assert _api_status(auth_app, fresh) == 200 and _api_status(auth_app, stolen) == 401


def test_password_reset_ends_every_api_token(auth_app, caplog):
    cli_user(auth_app, "resetter@example.com", "--comp")
    attacker = auth_app.test_client()
    client_login(attacker, "resetter@example.com")
    stolen = _create_token(attacker)
    assert _api_status(auth_app, stolen) == 200
    owner = auth_app.test_client()
    link = _reset_link(auth_app, owner, "resetter@example.com", caplog)
    assert owner.get(link).status_code == 200
    assert _api_status(auth_app, stolen) == 200  # asking for a link changes nothing yet
    assert _set_password(owner, link).status_code == 303
    assert _api_status(auth_app, stolen) == 401
    assert attacker.get("/account").status_code == 302
    assert client_login(owner, "resetter@example.com", NEW_PASSWORD).status_code == 303
    assert _api_status(auth_app, _create_token(owner)) == 200
    with auth_app.app_context():
        assert [t.revoked_at is not None for t in User.by_email("resetter@example.com").api_tokens.order_by(ApiToken.id)] == [True, False]
