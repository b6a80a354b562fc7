"""In Chromium, against gunicorn at http://localhost (a passkey's site): passkeys through the browser's virtual
authenticator (CDP WebAuthn), and a team that requires its own single sign-on and two-factor, end to end."""
import re
import time

import pyotp
import pytest

from tests.harness.live import PASSWORD, create_user, free_port, migrate_database, start_server
from tests.signin.conftest import provider_setting

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("signin-browser")]
TIMEOUT = 30000
# A platform authenticator that holds discoverable credentials and verifies its user (a fingerprint, say), and
# answers without a touch (Chromium's WebAuthn domain of the DevTools protocol).
AUTHENTICATOR = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
                 "isUserVerified": True, "automaticPresenceSimulation": True}


@pytest.fixture(scope="module")
def site(tmp_path_factory, real_data_dir, public_idp):
    """Return (server, its localhost URL) of a gunicorn server whose BASE_URL is http://localhost:<port>."""
    import json

    database_url = f"sqlite:///{tmp_path_factory.mktemp('signin-browser') / 'users.db'}"
    migrate_database(database_url, real_data_dir)
    port = free_port()
    base = f"http://localhost:{port}"
    server = start_server({"BASE_URL": base, "TRUSTED_HOSTS": "localhost,127.0.0.1", "DATABASE_URL": database_url,
                           "BEANFLOWS_DATA_DIR": str(real_data_dir),
                           "OIDC_PROVIDERS": json.dumps(provider_setting(public_idp))}, port=port)
    yield server, base
    server.stop()


def _on_server(server, fn):
    """Run fn() in an app context on the server's databases."""
    from app import create_app
    from config import Config
    from extensions import db

    app = create_app(Config(environ=server.env).as_dict())
    with app.app_context():
        try:
            return fn()
        finally:
            db.session.remove()
            db.engine.dispose()


def _password_login(page, base, email):
    """Log in through the form."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit], main input[type=submit]")


def _at(page, path):
    """Wait until the page is at path (after redirects)."""
    page.wait_for_url(re.compile(rf"^http://localhost:\d+{re.escape(path)}(\?.*)?$"), timeout=TIMEOUT)


def test_a_passkey_is_added_then_signs_in_alone_and_as_the_second_factor(browser, site):
    server, base = site
    create_user(server, "pia@example.com", "--comp")
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})["authenticatorId"]
    _password_login(page, base, "pia@example.com")
    _at(page, "/dashboards/overview")
    page.goto(f"{base}/account/mfa")
    page.fill("#mfa-passkey-name", "Laptop")
    page.fill("#mfa-passkey-password", PASSWORD)
    page.click("#mfa-passkey-add")
    page.wait_for_selector("#mfa-recovery-codes", timeout=TIMEOUT)  # the first factor brings recovery codes
    assert page.locator(".passkey-name").all_inner_texts() == ["Laptop"]
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]
    # Signed out, the passkey alone signs in: no email, no password.
    context.clear_cookies()
    page.goto(f"{base}/login")
    page.click("#login-passkey")
    _at(page, "/dashboards/overview")
    page.goto(f"{base}/account")
    assert page.inner_text("#account-email") == "pia@example.com"
    # The password now owes a second factor, which the passkey gives.
    context.clear_cookies()
    _password_login(page, base, "pia@example.com")
    _at(page, "/login/mfa")
    assert page.goto(f"{base}/dashboards/production").url.startswith(f"{base}/login/mfa")
    page.click("#second-step-passkey")
    _at(page, "/dashboards/production")
    used = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"][0]["signCount"]
    assert used >= 2
    context.close()


def _through_provider(page, sub):
    """Answer the team's provider's page as sub."""
    page.wait_for_selector("input[name=sub]", timeout=TIMEOUT)
    page.fill("input[name=sub]", sub)
    page.click("button:has-text('Authorize')")


def _turn_on_totp(page, base, password=None):
    """Set up the authenticator app on /account/mfa; return (its secret, the recovery codes shown)."""
    page.goto(f"{base}/account/mfa")
    if password:
        page.fill("#mfa-enable-password", password)
    page.click("#mfa-totp-start")
    secret = page.inner_text("#mfa-secret").replace(" ", "")
    assert page.get_attribute("#mfa-qr", "src").startswith("data:image/svg+xml")
    page.fill("#mfa-code", pyotp.TOTP(secret).now())
    page.click("#mfa-totp-confirm")
    page.wait_for_selector("#mfa-recovery-codes", timeout=TIMEOUT)
    return secret, page.locator(".recovery-code").all_inner_texts()


def _second_step(page, code=None, recovery_code=None):
    """Give the second factor on /login/mfa."""
    if recovery_code:
        page.click("summary:has-text('Use a recovery code')")
        page.fill("input[name=recovery_code]", recovery_code)
    else:
        page.fill("input[name=code]", code)
    page.click("#second-step-form button[type=submit], #second-step-form input[type=submit]")


def _make_team(server):
    """Write the Corp desk team (5 seats, active) owned by olive@corp.example; return its id."""
    def corp():
        from extensions import db
        from models.accounts import User
        from models.teams import Team, TeamMember

        owner = User.by_email("olive@corp.example")
        team = Team(name="Corp desk", owner_id=owner.id, seats=5, subscription_status="active")
        db.session.add(team)
        db.session.flush()
        db.session.add(TeamMember(team_id=team.id, user_id=owner.id, role="owner"))
        db.session.commit()
        return team.id

    create_user(server, "olive@corp.example")
    return _on_server(server, corp)


def test_a_team_that_requires_its_single_sign_on_and_two_factor(browser, site, team_idp):
    server, base = site
    _make_team(server)
    team_idp.set_user("olive", email="olive@corp.example", email_verified=True)
    team_idp.set_user("mia", email="mia@corp.example", email_verified=True)
    owner = browser.new_context().new_page()
    # The owner sets the team's provider up, asking for two-factor and taking in the team's domain.
    _password_login(owner, base, "olive@corp.example")
    _at(owner, "/dashboards/overview")
    owner.goto(f"{base}/team")
    owner.fill("#team-sso-issuer", team_idp.issuer)
    owner.fill("#team-sso-client_id", "corp-beanflows")
    owner.fill("#team-sso-client_secret", "corp-secret")
    owner.fill("#team-sso-domains", "corp.example")
    owner.check("#team-sso-require-mfa")
    owner.click("#team-sso-save")
    owner.goto(f"{base}/team")
    _at(owner, "/account/mfa")  # the owner holds no factor: the team's rule applies to them at once
    secret, codes = _turn_on_totp(owner, base, PASSWORD)
    # Signs in through the provider once (linking it), gives the second factor, then requires the provider.
    owner.goto(f"{base}/team")
    owner.fill("#team-sso-link-password", PASSWORD)
    owner.click("#team-sso-link-account")
    _through_provider(owner, "olive")
    _at(owner, "/login/mfa")  # a provider's sign-in still owes the team's second factor
    _second_step(owner, code=pyotp.TOTP(secret).at(time.time() + 30))
    owner.goto(f"{base}/team")
    owner.check("#team-sso-required")
    owner.click("#team-sso-save")
    owner.wait_for_selector("#team-sso-status >> text=only through it", timeout=TIMEOUT)
    owner.context.close()
    # A colleague at the team's domain finds its sign-in from the login page, joins, and must add a factor.
    member = browser.new_context().new_page()
    member.goto(f"{base}/login")
    member.click("#login-sso-lookup")
    member.fill("input[name=email]", "mia@corp.example")
    member.click("main button[type=submit], main input[type=submit]")
    _through_provider(member, "mia")
    _at(member, "/account/mfa")  # the team requires two-factor: nothing else opens until it is on
    assert "requires two-factor" in member.inner_text("#mfa-required")
    member.goto(f"{base}/dashboards/production")
    _at(member, "/account/mfa")
    _turn_on_totp(member, base)  # no password: the sign-in a moment ago stands in for it
    member.goto(f"{base}/dashboards/production")
    member.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT)
    member.goto(f"{base}/team")
    assert member.inner_text("#team-my-role") == "member"
    member.context.close()
    # The owner's password no longer signs in: the reason, and the team's button, which does (with a factor).
    again = browser.new_context().new_page()
    _password_login(again, base, "olive@corp.example")
    assert "requires signing in through its single sign-on" in again.inner_text(".alert-danger")
    again.click("#login-team-sso")
    _through_provider(again, "olive")
    _at(again, "/login/mfa")
    _second_step(again, recovery_code=codes[0])
    _at(again, "/dashboards/overview")
    again.context.close()
