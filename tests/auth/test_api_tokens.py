"""API tokens: shown once, only hashes stored, Bearer on the API only, revocation, loss of access."""
import re
from datetime import datetime, timedelta, timezone

from models.accounts import ApiToken, User
from extensions import db
from tests.auth.conftest import cli_user, client_login, form_token

API = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2020"


def _logged_in(app, email, *flags):
    """Return a test client logged in as a new user."""
    cli_user(app, email, *flags)
    client = app.test_client()
    client_login(client, email)
    return client


def _create(client, **fields):
    """Create a token on /account (with form fields such as expires); return (response, raw token or None)."""
    response = client.post("/account/tokens", data={"csrf_token": form_token(client, "/account"), "name": "a script",
                                                    **fields})
    found = re.search(r'id="account-new-token">([^<]+)<', response.get_data(as_text=True))
    return response, found.group(1) if found else None


def _api(app, header):
    """Call the API with only an Authorization header."""
    return app.test_client().get(API, headers={"Authorization": header} if header else {})


def test_token_is_shown_once_and_only_its_hash_is_stored(auth_app):
    client = _logged_in(auth_app, "sub@example.com", "--comp")
    response, raw = _create(client)
    assert response.status_code == 200 and raw.startswith("bf_") and len(raw) > 40
    assert raw not in client.get("/account").get_data(as_text=True)
    assert raw[:10] in client.get("/account").get_data(as_text=True)  # the prefix identifies it
    with auth_app.app_context():
        rows = db.session.execute(db.select(ApiToken)).scalars().all()
        assert len(rows) == 1 and raw not in (rows[0].token_hash, rows[0].prefix) and len(rows[0].token_hash) == 64


def test_bearer_token_opens_the_api_and_nothing_else(auth_app):
    client = _logged_in(auth_app, "sub@example.com", "--comp")
    _, raw = _create(client)
    ok = _api(auth_app, f"Bearer {raw}")
    assert ok.status_code == 200 and ok.get_json()["rows"][0]["country_code"] == "BRA"
    assert _api(auth_app, f"bearer {raw}").status_code == 200
    for header in (None, f"Bearer {raw}x", f"Basic {raw}", raw, "Bearer ", "Bearer bf_nothing"):
        refused = _api(auth_app, header)
        assert refused.status_code == 401 and set(refused.get_json()) == {"error"}, header
    anonymous = auth_app.test_client()
    assert anonymous.get("/account", headers={"Authorization": f"Bearer {raw}"}).status_code == 302
    assert anonymous.get("/dashboards/trade", headers={"Authorization": f"Bearer {raw}"}).status_code == 302
    with auth_app.app_context():
        assert User.by_email("sub@example.com").api_tokens.first().last_used_at is not None


def test_revoked_token_stops_working_and_others_cannot_revoke_it(auth_app):
    owner = _logged_in(auth_app, "owner@example.com", "--comp")
    _, raw = _create(owner)
    with auth_app.app_context():
        token_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    stranger = _logged_in(auth_app, "stranger@example.com", "--comp")
    stranger.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": form_token(stranger, "/account")})
    assert _api(auth_app, f"Bearer {raw}").status_code == 200
    owner.post(f"/account/tokens/{token_id}/revoke")  # no CSRF token: refused
    assert _api(auth_app, f"Bearer {raw}").status_code == 200
    owner.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": form_token(owner, "/account")})
    assert _api(auth_app, f"Bearer {raw}").status_code == 401


def test_token_of_a_user_who_lost_access_gets_403(auth_app):
    client = _logged_in(auth_app, "lapsed@example.com", "--comp")
    _, raw = _create(client)
    with auth_app.app_context():
        User.by_email("lapsed@example.com").access_granted = False
        db.session.commit()
    refused = _api(auth_app, f"Bearer {raw}")
    assert refused.status_code == 403 and set(refused.get_json()) == {"error"}


def test_free_user_cannot_create_tokens(auth_app):
    client = _logged_in(auth_app, "free@example.com")
    response, raw = _create(client)
    assert response.status_code == 303 and raw is None
    assert "subscriber feature" in client.get("/account").get_data(as_text=True)
    assert client.post("/account/tokens").status_code == 400  # and CSRF is checked
    with auth_app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_account_page_shows_plan_and_billing_place(auth_app):
    client = _logged_in(auth_app, "acct@example.com", "--comp")
    page = client.get("/account").get_data(as_text=True)
    assert "acct@example.com" in page and "Access granted by an admin" in page
    free = _logged_in(auth_app, "nosub@example.com")
    assert "Free" in free.get("/account").get_data(as_text=True)


def test_revoking_a_huge_token_id_is_a_redirect_not_a_500(auth_app):
    cli_user(auth_app, "huge@example.com", "--comp")
    client = auth_app.test_client()
    client_login(client, "huge@example.com")
    for huge in (2**31, 2**70, 10**100):
        response = client.post(f"/account/tokens/{huge}/revoke", data={"csrf_token": form_token(client, "/account")})
        assert response.status_code == 303, huge


def _token_row(client, raw):
    """Return the cells of the /account table row of the token raw, as text."""
    page = client.get("/account").get_data(as_text=True)
    # The first cell is the token's name.
    row = re.search(r"<tr[^>]*>\s*<td[^>]*>[^<]*</td>\s*<td><code>" + re.escape(raw[:10]) + r"….*?</tr>", page, re.S)
    assert row, page
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)[1:]
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]


def test_the_account_page_offers_expiries_and_refuses_others(auth_app):
    client = _logged_in(auth_app, "choices@example.com", "--comp")
    page = client.get("/account").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="expires"[^>]*>(.*?)</select>', page, re.S)
    assert select and re.findall(r'value="([^"]+)"', select.group(1)) == ["30", "90", "365", "never"]
    for forged in ("7", "0", "-30", "99999", "", "never "):
        response, raw = _create(client, expires=forged)
        assert response.status_code == 400 and raw is None, forged
    with auth_app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_a_token_stops_working_when_its_chosen_expiry_passes(auth_app, monkeypatch):
    import auth.api_tokens

    client = _logged_in(auth_app, "expiring@example.com", "--comp")
    _, month = _create(client, expires="30")
    _, forever = _create(client, expires="never")
    real = auth.api_tokens.utcnow
    for days, month_status in [(0, 200), (29, 200), (30.001, 401), (400, 401)]:
        monkeypatch.setattr(auth.api_tokens, "utcnow", lambda: real() + timedelta(days=days))
        assert _api(auth_app, f"Bearer {month}").status_code == month_status, days
        assert _api(auth_app, f"Bearer {forever}").status_code == 200, days


def test_a_token_with_an_expiry_in_the_past_is_refused_and_shown_expired(auth_app):
    client = _logged_in(auth_app, "past@example.com", "--comp")
    _, raw = _create(client, expires="365")
    assert _api(auth_app, f"Bearer {raw}").status_code == 200
    with auth_app.app_context():
        row = db.session.execute(db.select(ApiToken)).scalar_one()
        row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
        db.session.commit()
    refused = _api(auth_app, f"Bearer {raw}")
    assert refused.status_code == 401 and set(refused.get_json()) == {"error"}
    assert "expired" in _token_row(client, raw)[3]


def test_the_account_page_shows_created_last_used_and_expiry_dates(auth_app):
    client = _logged_in(auth_app, "dates@example.com", "--comp")
    _, quarter = _create(client, expires="90")
    _, forever = _create(client, expires="never")
    assert _token_row(client, quarter)[2] == "never"  # not used yet
    assert _api(auth_app, f"Bearer {quarter}").status_code == 200
    with auth_app.app_context():
        rows = {r.prefix: r for r in db.session.execute(db.select(ApiToken)).scalars()}
        created, used = rows[quarter[:10]].created_at, rows[quarter[:10]].last_used_at
    cells = _token_row(client, quarter)
    assert cells[1] == created.strftime("%Y-%m-%d %H:%M") and cells[2] == used.strftime("%Y-%m-%d %H:%M")
    assert cells[3] == (created + timedelta(days=90)).strftime("%Y-%m-%d")
    assert _token_row(client, forever)[3] == "never"
