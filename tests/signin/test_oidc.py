"""Signing in with an OpenID provider: a real provider on loopback, the app in process, the protocol checked."""
import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pyotp
import pytest

from extensions import db
from models.accounts import LoginSession, User
from models.sign_in import Identity
from tests.conftest import PASSWORD
from tests.signin.conftest import PUBLIC, add_user, login, make_app, post, provider_setting, signed_in, token
from tests.signin.provider import authorize, expired, local, sign_in, start
from tests.web.conftest import running_smtp


def _user(app, email):
    """Return (user id, [(provider, subject)], methods of open logins) for email, or None."""
    with app.app_context():
        user = User.by_email(email)
        if user is None:
            return None
        identities = [(row.provider, row.subject) for row in db.session.execute(
            db.select(Identity).where(Identity.user_id == user.id)).scalars()]
        methods = list(db.session.execute(db.select(LoginSession.method).where(
            LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))).scalars())
        return user.id, identities, methods


def test_a_verified_address_makes_an_account_and_signs_in(oidc_app, idps):
    public, _ = idps
    public.set_user("ann-sub", email="ann@example.com", email_verified=True)
    client = oidc_app.test_client()
    assert "Sign in with acme" in client.get("/login").get_data(as_text=True)
    url = start(client, PUBLIC)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(public.issuer + "/oauth2/authorize")
    assert query["scope"] == ["openid email"] and query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0] and query["client_id"] == ["beanflows-acme"]
    answer = client.get(local(authorize(url, "ann-sub")))
    assert answer.status_code == 303 and answer.headers["Location"] == "/dashboards/overview"
    assert signed_in(client)
    _, identities, methods = _user(oidc_app, "ann@example.com")
    assert identities == [(PUBLIC, "ann-sub")] and methods == ["oidc:acme"]
    assert 'data-provider="acme"' in client.get("/account").get_data(as_text=True)  # listed on /account


@pytest.mark.parametrize("claims", [{"email_verified": False}, {"email_verified": "true"}, {}],
                         ids=["false", "the string true", "absent"])
def test_an_unverified_address_makes_nothing_and_can_still_sign_up(oidc_app, idps, claims):
    public, _ = idps
    public.set_user("bo-sub", email="bo@example.com", **claims)
    client = oidc_app.test_client()
    answer = sign_in(client, PUBLIC, public, "bo-sub")
    assert answer.status_code == 403 and "did not confirm your email address" in answer.get_data(as_text=True)
    assert not signed_in(client) and _user(oidc_app, "bo@example.com") is None
    signup = client.post("/signup", data={"email": "bo@example.com", "password": PASSWORD,
                                          "csrf_token": token(client, "/signup")})
    assert signup.status_code == 303 and _user(oidc_app, "bo@example.com") is not None


def test_an_existing_accounts_address_is_linked_only_with_its_owners_password(oidc_app, idps):
    public, _ = idps
    add_user(oidc_app, "cy@example.com")
    public.set_user("cy-sub", email="cy@example.com", email_verified=True)
    client = oidc_app.test_client()
    held = sign_in(client, PUBLIC, public, "cy-sub")
    assert held.status_code == 303 and held.headers["Location"] == "/auth/oidc/link"
    assert not signed_in(client) and _user(oidc_app, "cy@example.com")[1] == []
    page = client.get("/auth/oidc/link").get_data(as_text=True)
    assert "cy@example.com" in page and 'id="link-by-email"' in page
    wrong = post(client, "/auth/oidc/link", page="/auth/oidc/link", password="not it", action="password")
    assert wrong.status_code == 401 and _user(oidc_app, "cy@example.com")[1] == []
    right = post(client, "/auth/oidc/link", page="/auth/oidc/link", password=PASSWORD, action="password")
    assert right.status_code == 303 and signed_in(client)
    assert _user(oidc_app, "cy@example.com")[1] == [(PUBLIC, "cy-sub")]
    again = oidc_app.test_client()  # next time the provider alone signs in
    assert sign_in(again, PUBLIC, public, "cy-sub").status_code == 303 and signed_in(again)


def test_the_emailed_link_links_without_signing_anyone_in(tmp_path, idps):
    public, _ = idps
    with running_smtp() as (mailbox, port):
        app = make_app(tmp_path, OIDC_PROVIDERS=provider_setting(public), MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                       BASE_URL="https://beanflows.example.com")
        add_user(app, "dee@example.com")
        public.set_user("dee-sub", email="dee@example.com", email_verified=True)
        client = app.test_client()
        sign_in(client, PUBLIC, public, "dee-sub")
        sent = post(client, "/auth/oidc/link", page="/auth/oidc/link", action="email")
        assert sent.status_code == 303 and not signed_in(client)
        deadline = time.monotonic() + 10
        while not mailbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    recipients, text = mailbox.messages[0]
    link = re.search(r"https://beanflows\.example\.com(/auth/oidc/link/\S+)", text.replace("=\r\n", "")).group(1)
    assert recipients == ["dee@example.com"] and _user(app, "dee@example.com")[1] == []
    other = app.test_client()  # opened in another browser: it links, and signs nobody in
    page = other.get(link)
    assert page.status_code == 200 and 'id="link-confirm"' in page.get_data(as_text=True)
    assert post(other, link, page=link).status_code == 303
    assert _user(app, "dee@example.com")[1] == [(PUBLIC, "dee-sub")] and not signed_in(other)
    assert sign_in(other, PUBLIC, public, "dee-sub").status_code == 303 and signed_in(other)


def test_a_bad_state_or_another_browser_signs_nobody_in(oidc_app, idps):
    public, _ = idps
    public.set_user("eve-sub", email="eve@example.com", email_verified=True)
    client, other = oidc_app.test_client(), oidc_app.test_client()
    callback = local(authorize(start(client, PUBLIC), "eve-sub"))
    path, query = callback.split("?")
    forged = {**{k: v[0] for k, v in parse_qs(query).items()}, "state": "not-the-state"}
    for browser, url in ((client, f"{path}?{urlencode(forged)}"), (other, callback),
                         (client, f"{path}?code={parse_qs(query)['code'][0]}")):
        answer = browser.get(url)
        assert answer.status_code == 400 and "Nobody was signed in" in answer.get_data(as_text=True)
    assert not signed_in(client) and not signed_in(other) and _user(oidc_app, "eve@example.com") is None
    assert client.get(callback).status_code == 303 and signed_in(client)  # the browser that started finishes
    fresh = oidc_app.test_client()
    assert fresh.get(callback).status_code == 400 and not signed_in(fresh)  # and the callback is not replayable


def _issuer(claims):
    return {**claims, "iss": "http://127.0.0.1:9"}


def _audience(claims):
    return {**claims, "aud": "someone-else"}


def _audience_named_by_azp(claims):
    ours = claims["aud"][0] if isinstance(claims["aud"], list) else claims["aud"]
    return {**claims, "aud": "someone-else", "azp": ours}


def _nonce(claims):
    return {**claims, "nonce": "not-the-nonce"}


@pytest.mark.parametrize("tamper", [_issuer, _audience, _audience_named_by_azp, _nonce, "other key", expired, "replay"],
                         ids=["issuer", "audience", "audience with azp", "nonce", "signature", "expired", "replayed"])
def test_an_id_token_failing_a_check_signs_nobody_in(oidc_app, idps, tamper):
    public, _ = idps
    public.set_user("fay-sub", email="fay@example.com", email_verified=True)
    if tamper == "replay":  # an ID token issued for an earlier sign-in, sent again
        assert sign_in(oidc_app.test_client(), PUBLIC, public, "fay-sub").status_code == 303
    before = _user(oidc_app, "fay@example.com")
    public.tamper = tamper
    client = oidc_app.test_client()
    answer = sign_in(client, PUBLIC, public, "fay-sub")
    assert answer.status_code == 400, answer.get_data(as_text=True)[:300]
    assert "Nobody was signed in" in answer.get_data(as_text=True)
    assert not signed_in(client) and _user(oidc_app, "fay@example.com") == before


def test_the_last_way_in_cannot_be_unlinked(oidc_app, idps):
    public, _ = idps
    public.set_user("gus-sub", email="gus@example.com", email_verified=True)
    client = oidc_app.test_client()
    sign_in(client, PUBLIC, public, "gus-sub")
    identity = re.search(r'/account/identities/(\d+)/unlink', client.get("/account").get_data(as_text=True)).group(1)
    refused = post(client, f"/account/identities/{identity}/unlink", page="/account")
    assert refused.status_code == 303 and "only way to sign in" in client.get("/account").get_data(as_text=True)
    assert _user(oidc_app, "gus@example.com")[1] == [(PUBLIC, "gus-sub")]


def test_a_signed_in_user_links_a_provider_with_their_password_and_unlinks_it(oidc_app, idps):
    public, _ = idps
    add_user(oidc_app, "hal@example.com")
    public.set_user("hal-work", email="hal@work.example", email_verified=True)
    client = oidc_app.test_client()
    login(client, "hal@example.com")
    unasked = sign_in(client, PUBLIC, public, "hal-work")  # back from the provider without asking to link
    assert unasked.status_code == 403 and _user(oidc_app, "hal@example.com")[1] == []
    assert "not your password" not in post(client, "/account/identities", page="/account", provider=PUBLIC,
                                           password="wrong").get_data(as_text=True)
    assert _user(oidc_app, "hal@example.com")[1] == []
    asked = post(client, "/account/identities", page="/account", provider=PUBLIC, password=PASSWORD)
    assert asked.status_code == 303 and asked.headers["Location"].startswith(f"/auth/oidc/{PUBLIC}/start")
    linked = client.get(local(authorize(start(client, PUBLIC), "hal-work")))
    assert linked.status_code == 303 and _user(oidc_app, "hal@example.com")[1] == [(PUBLIC, "hal-work")]
    assert _user(oidc_app, "hal@example.com")[2] == ["oidc:acme"]  # the old login ended, this one came through it
    identity = re.search(r'/account/identities/(\d+)/unlink', client.get("/account").get_data(as_text=True)).group(1)
    assert post(client, f"/account/identities/{identity}/unlink", page="/account").status_code == 303
    assert _user(oidc_app, "hal@example.com")[1] == []


def test_a_provider_sign_in_still_asks_for_the_second_factor(oidc_app, idps):
    from tests.signin.test_totp import enrol

    public, _ = idps
    public.set_user("ida-sub", email="ida@example.com", email_verified=True)
    client = oidc_app.test_client()
    sign_in(client, PUBLIC, public, "ida-sub")
    post(client, "/account/mfa/totp")  # an account without a password: a fresh sign-in stands in for it
    secret, _ = enrol(client)
    again = oidc_app.test_client()
    answer = sign_in(again, PUBLIC, public, "ida-sub")
    assert answer.status_code == 303 and answer.headers["Location"] == "/login/mfa" and not signed_in(again)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert post(again, "/login/mfa", page="/login/mfa", code=code).status_code == 303 and signed_in(again)
