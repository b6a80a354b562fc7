"""Two-factor with an authenticator app: enrolment, the second step, replays, recovery codes, what a change ends."""
import hashlib
import re
import time
from datetime import timedelta

import pyotp
import pytest

from extensions import db
from models.accounts import AuditLog, LoginSession, User, utcnow
from models.sign_in import RecoveryCode, TotpFactor
from tests.conftest import PASSWORD
from tests.signin.conftest import add_user, login, make_app, post, signed_in

CALLBACK = "/_dash-update-component"


def enrol(client):
    """Set up TOTP on a signed-in client through /account/mfa; return (the app's secret, the recovery codes)."""
    page = post(client, "/account/mfa/totp", password=PASSWORD)
    assert page.status_code == 200, page.status_code
    text = page.get_data(as_text=True)
    assert re.search(r'<img src="data:image/svg\+xml;charset=utf-8,%3Csvg', text)  # the QR code, drawn here
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', text).group(1).replace(" ", "")
    done = post(client, "/account/mfa/totp", code=pyotp.TOTP(secret).now())
    assert done.status_code == 200, done.get_data(as_text=True)[:500]
    codes = re.findall(r'class="col recovery-code">([a-z2-7-]+)<', done.get_data(as_text=True))
    return secret, codes


def next_code(secret, steps=1):
    """Return the code of a later 30-second step (accepted: clocks may drift one step)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


@pytest.fixture
def enrolled(plain_app):
    """Return (app, user id, secret, recovery codes) of a subscriber who turned TOTP on."""
    user_id = add_user(plain_app, "tess@example.com", access_granted=True)
    client = plain_app.test_client()
    assert login(client, "tess@example.com").status_code == 303
    secret, codes = enrol(client)
    return plain_app, user_id, secret, codes


def test_enrolment_turns_totp_on_with_ten_single_use_codes_stored_hashed(enrolled):
    app, user_id, secret, codes = enrolled
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context():
        assert db.session.get(User, user_id).two_factor is True
        stored = {row.code_hash for row in db.session.execute(db.select(RecoveryCode)).scalars()}
        assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
        row = db.session.get(TotpFactor, user_id)
        assert row.confirmed_at is not None and secret not in row.secret  # sealed, not the secret itself


def test_enrolment_needs_the_password_and_a_right_first_code(plain_app):
    add_user(plain_app, "uma@example.com")
    client = plain_app.test_client()
    login(client, "uma@example.com")
    assert post(client, "/account/mfa/totp", password="not the password").status_code == 403
    page = post(client, "/account/mfa/totp", password=PASSWORD)
    assert post(client, "/account/mfa/totp", code="000000").status_code == 400
    with plain_app.app_context():
        assert db.session.execute(db.select(TotpFactor.confirmed_at)).scalar_one() is None
        assert User.by_email("uma@example.com").two_factor is False
    assert "mfa-secret" in page.get_data(as_text=True)


def test_a_half_signed_in_login_opens_only_the_second_step(enrolled):
    app, _, secret, _ = enrolled
    client = app.test_client()
    first = login(client, "tess@example.com", remember="y")
    assert first.status_code == 303 and first.headers["Location"] == "/login/mfa"
    assert "remember_token" not in " ".join(first.headers.getlist("Set-Cookie"))  # only once the second step is done
    for path in ("/account", "/account/mfa", "/dashboards/overview", "/dashboards/production", "/team", "/alerts"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login/mfa"), path
    api = client.get("/api/v1/metrics?metric=production&country=BRA")
    assert api.status_code == 401 and "Finish signing in" in api.get_json()["error"]
    client.get("/")
    callback = client.post(CALLBACK, json={"output": "overview-url.search", "outputs": {}, "inputs": [], "state": []},
                           headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})
    assert callback.status_code == 401
    assert client.get("/login/mfa").status_code == 200
    done = post(client, "/login/mfa", page="/login/mfa", code=next_code(secret))
    assert done.status_code == 303 and done.headers["Location"] == "/dashboards/overview"
    assert "remember_token=" in " ".join(done.headers.getlist("Set-Cookie"))
    assert signed_in(client)


def test_a_code_is_taken_once_in_its_window(enrolled):
    app, _, secret, _ = enrolled
    code = next_code(secret)
    first, second = app.test_client(), app.test_client()
    login(first, "tess@example.com")
    assert post(first, "/login/mfa", page="/login/mfa", code=code).status_code == 303
    login(second, "tess@example.com")
    replay = post(second, "/login/mfa", page="/login/mfa", code=code)
    assert replay.status_code == 401 and "already used" in replay.get_data(as_text=True)
    assert not signed_in(second)


def test_a_recovery_code_works_once(enrolled):
    app, _, _, codes = enrolled
    first, second = app.test_client(), app.test_client()
    login(first, "tess@example.com")
    used = post(first, "/login/mfa", page="/login/mfa", recovery_code=codes[3].upper())
    assert used.status_code == 303 and signed_in(first)
    login(second, "tess@example.com")
    assert post(second, "/login/mfa", page="/login/mfa", recovery_code=codes[3]).status_code == 401
    assert not signed_in(second)


def test_the_second_step_is_rate_limited_per_user(tmp_path):
    app = make_app(tmp_path, LOGIN_RATE_LIMIT="3 per minute")
    add_user(app, "rita@example.com")
    client = app.test_client()
    login(client, "rita@example.com")
    enrol(client)
    other = app.test_client()
    login(other, "rita@example.com")
    statuses = [post(other, "/login/mfa", page="/login/mfa", code="123456").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_changing_a_factor_ends_the_other_sessions(plain_app):
    add_user(plain_app, "vic@example.com")
    here, elsewhere = plain_app.test_client(), plain_app.test_client()
    login(here, "vic@example.com")
    login(elsewhere, "vic@example.com", remember="y")
    enrol(here)
    assert signed_in(here)
    elsewhere.delete_cookie("session")  # the remember cookie alone does not bring it back either
    assert not signed_in(elsewhere)


def test_an_api_token_needs_a_recent_second_factor(enrolled):
    app, user_id, secret, codes = enrolled
    client = app.test_client()
    login(client, "tess@example.com")
    post(client, "/login/mfa", page="/login/mfa", recovery_code=codes[0])
    with app.app_context():  # the second factor of this login was given twenty minutes ago
        db.session.execute(db.update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(
            None)).values(factor_at=utcnow() - timedelta(minutes=20)))
        db.session.commit()
    asked = post(client, "/account/tokens", page="/account", expires="30", name="script")
    assert asked.status_code == 303 and asked.headers["Location"].startswith("/login/mfa")
    assert "Confirm it" in client.get("/login/mfa").get_data(as_text=True)
    confirmed = post(client, "/login/mfa", page="/login/mfa", code=next_code(secret, 1))
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == "/account"
    made = post(client, "/account/tokens", page="/account", expires="30", name="script")
    assert made.status_code == 200 and 'id="account-new-token"' in made.get_data(as_text=True)


def test_disabling_needs_the_password_and_ends_other_sessions(enrolled):
    app, user_id, _, _ = enrolled
    client = app.test_client()
    login(client, "tess@example.com")
    assert client.get("/login/mfa").status_code == 200
    # The owner of a complete login elsewhere turns it off: this half-finished login ends with the change.
    owner = app.test_client()
    login(owner, "tess@example.com")
    post(owner, "/login/mfa", page="/login/mfa", recovery_code=enrolled[3][0])
    assert post(owner, "/account/mfa/totp/disable", password="wrong").status_code == 403
    assert post(owner, "/account/mfa/totp/disable", password=PASSWORD).status_code == 303
    with app.app_context():
        assert db.session.get(User, user_id).two_factor is False
        assert db.session.execute(db.select(RecoveryCode)).first() is None
    assert client.get("/login/mfa").status_code == 302 and signed_in(owner)


def test_support_resets_a_users_factors_from_the_cli_audited(enrolled):
    app, user_id, _, _ = enrolled
    result = app.test_cli_runner().invoke(args=["users", "reset-mfa", "TESS@example.com", "--reason", "ticket 42"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(User, user_id).two_factor is False
        assert db.session.get(TotpFactor, user_id) is None
        audit = db.session.execute(db.select(AuditLog).where(AuditLog.action == "mfa.reset")).scalar_one()
        assert audit.actor_id is None and audit.target_id == user_id and "ticket 42" in audit.detail
    assert app.test_cli_runner().invoke(args=["users", "reset-mfa", "nobody@example.com"]).exit_code != 0
