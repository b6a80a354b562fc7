"""Security headers: a CSP Dash and Plotly run under, no framing, HSTS and Secure cookies on https only."""
import re

import pytest

from tests.conftest import browser_cookies, create_user, login_session

DASHBOARDS = ["/dashboards/overview", "/dashboards/production", "/dashboards/trade", "/dashboards/supply",
              "/dashboards/country", "/admin", "/account", "/", "/methodology", "/docs/api"]


def _policy(response):
    """Return the CSP of a response as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_headers_on_http(client):
    response = client.get("/")
    policy = _policy(response)
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy["script-src"]
    inline = re.findall(r"<script(?: [^>]*)?>(?!</script>)", response.get_data(as_text=True))
    assert inline and all(h.startswith("'sha256-") for h in policy["script-src"][1:])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers
    assert all("Secure" not in c for c in response.headers.getlist("Set-Cookie"))


def test_https_gets_hsts_and_secure_cookies(client):
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in c for c in cookies), cookies


def test_healthz_reveals_no_server_paths(client, real_data_dir):
    body = client.get("/healthz").get_data(as_text=True)
    assert client.get("/healthz").get_json()["source"] == "psd_coffee_csv.zip"
    assert str(real_data_dir.parent.parent) not in body and "/work/" not in body


@pytest.mark.browser
def test_every_dashboard_runs_under_the_csp(browser, live):
    server = live()
    session = login_session(server, create_user(server, "csp@example.com", "--admin"))
    context = browser.new_context(base_url=server.url)
    context.add_cookies(browser_cookies(session, server))
    page = context.new_page()
    messages = []
    page.on("console", lambda m: m.type in ("error", "warning") and "Content Security Policy" in m.text
            and messages.append(m.text))
    page.on("pageerror", lambda exc: messages.append(str(exc)))
    try:
        for path in DASHBOARDS:
            assert page.goto(server.url + path).status == 200
            if path.startswith("/dashboards/") and path != "/dashboards/changes":
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert messages == []
