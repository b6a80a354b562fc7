"""Over-long URLs and bodies get a short 4xx (JSON on the API), never a 500 or gunicorn's page."""
import requests

API = "/api/v1/metrics?metric=production&country=BRA"


def test_long_api_urls_and_big_bodies_get_json_errors(live_server):
    server = live_server  # refusals change nothing: the session's server will do
    for length in (5_000, 8_000):
        response = requests.get(server.url + API + "&country=" + "X" * length, timeout=10)
        assert response.status_code == 414, (length, response.status_code, response.text[:200])
        assert "query string" in response.json()["error"]
    page = requests.get(server.url + "/login?next=" + "x" * 5_000, timeout=10)
    assert page.status_code == 414
    body = {"email": "a@example.com", "password": "x" * (5 * 1024 * 1024)}
    assert requests.post(server.url + "/login", data=body, timeout=30).status_code == 413
