"""The gate on odd paths and on routes it has never heard of."""
import pytest

from tests.auth.conftest import cli_user, client_login


@pytest.mark.parametrize("path", [
    "/dashboards/trade/", "//dashboards/trade", "/dashboards/trade?x=1", "/dashboards/country/BRA",
    "/api/v1/metrics/", "/api/v1/nothing",
])
def test_odd_paths_to_protected_things_are_refused_to_anonymous(auth_client, path):
    # A raw "GET //x" reaches the app as PATH_INFO "//x"; the test client would read "//x" as a host.
    response = auth_client.get("/", environ_overrides={"PATH_INFO": path}) if path.startswith("//") else auth_client.get(path)
    if "/api/" in path:
        assert response.status_code == 401 and set(response.get_json()) == {"error"}
    else:
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_routes_nobody_classified_need_a_subscriber(auth_app):
    auth_app.add_url_rule("/download/everything.csv", "download_everything", lambda: "secret,data\n")
    cli_user(auth_app, "free@example.com")
    cli_user(auth_app, "paid@example.com", "--comp")
    assert auth_app.test_client().get("/download/everything.csv").status_code == 302
    free = auth_app.test_client()
    client_login(free, "free@example.com")
    refused = free.get("/download/everything.csv")
    assert refused.status_code == 403 and "secret" not in refused.get_data(as_text=True)
    paid = auth_app.test_client()
    client_login(paid, "paid@example.com")
    assert paid.get("/download/everything.csv").get_data(as_text=True) == "secret,data\n"


def test_public_routes_stay_public(auth_client):
    for path in ("/", "/login", "/signup", "/reset", "/_dash-layout", "/_dash-dependencies", "/_favicon.ico",
                 "/bootstrap/static/css/bootstrap.min.css", "/404", "/no/such/page"):
        assert auth_client.get(path).status_code == 200, path
    assert auth_client.get("/healthz").status_code in (200, 503)
