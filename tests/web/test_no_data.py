"""Before any data is loaded, pages and forms that need it answer 503 with the reason, not a 500."""
from tests.billing.conftest import add_user, csrf_token, login, make_app


def test_an_alert_rule_posted_before_any_data_is_loaded_gets_503_with_the_reason(tmp_path):
    app = make_app(tmp_path, tmp_path / "empty-data")
    client = app.test_client()
    login(client, app, add_user(app, "early@example.com", access_granted=True))
    answer = client.post("/alerts", data={"csrf_token": csrf_token(client), "kind": "revision", "country_code": "BRA",
                                          "metric": "production", "threshold_pct": "5"})
    assert answer.status_code == 503
    assert "No data loaded yet" in answer.get_data(as_text=True)
    api = client.get("/api/v1/metrics?metric=production&country=BRA")
    assert api.status_code == 503 and api.get_json() == {"error": "no data loaded yet"}
