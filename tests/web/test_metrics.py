"""/metrics: off without a token, bearer only, bounded route labels, counts summed over gunicorn workers."""
import re
import subprocess

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import base_config

TOKEN = "metrics-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _app(tmp_path, data_dir, **overrides):
    """Return a migrated app on the real data with overrides."""
    from flask_migrate import upgrade

    from app import create_app

    application = create_app({**base_config(tmp_path, data_dir), **overrides})
    with application.app_context():
        upgrade()
    return application


def samples(text, name):
    """Return [(labels, value)] of every sample called name in Prometheus text."""
    return [(s.labels, s.value) for family in text_string_to_metric_families(text)
            for s in family.samples if s.name == name]


def total(text, name, **labels):
    """Return the sum of the samples called name whose labels include labels."""
    return sum(v for got, v in samples(text, name) if all(got.get(k) == w for k, w in labels.items()))


def test_off_without_a_token(tmp_path, real_data_dir):
    client = _app(tmp_path, real_data_dir).test_client()
    assert client.get("/metrics", headers=AUTH).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN, "Bearer \xff",
                                    "Bearer \udcff"])
def test_refused_without_the_bearer_token(tmp_path, real_data_dir, header):
    client = _app(tmp_path, real_data_dir, METRICS_TOKEN=TOKEN).test_client()
    response = client.get("/metrics", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert "beanflows_" not in response.get_data(as_text=True)


def test_routes_are_url_rules_and_state_is_reported(tmp_path, real_data_dir):
    client = _app(tmp_path, real_data_dir, METRICS_TOKEN=TOKEN).test_client()
    before = client.get("/metrics", headers=AUTH).get_data(as_text=True)
    for n in range(3):
        assert client.get(f"/no-such-thing-{n}/x").status_code == 404
        client.get(f"/api/v1/metrics?metric=production&country=BR{n}")
    client.get("/healthz")
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    routes = {labels["route"] for labels, _ in samples(text, "beanflows_http_requests_total")}
    assert not any("no-such-thing" in r or "BR" in r for r in routes), routes  # never the raw path
    grew = {route: total(text, "beanflows_http_requests_total", route=route)
            - total(before, "beanflows_http_requests_total", route=route) for route in routes}
    assert grew["/api/v1/metrics"] == 3 and grew["/healthz"] == 1
    # 404s for unknown paths land under one label (a dashboard URL under its page path, not the raw path).
    assert grew.get("unmatched", 0) + grew.get("/<path:path>", 0) >= 0
    assert total(text, "beanflows_http_request_duration_seconds_count", route="/healthz") >= 1
    assert 0 <= total(text, "beanflows_serving_file_age_seconds") < 10 * 365 * 86400
    [(served, value)] = samples(text, "beanflows_release_served")
    assert value == 1 and re.fullmatch(r"\d{4}-\d{2}", served["release"])
    assert {labels["status"] for labels, _ in samples(text, "beanflows_alert_deliveries")} == {
        "queued", "sending", "sent", "failed"}
    assert total(text, "beanflows_job_queue_depth") == 0 and total(text, "beanflows_jobs_kept") == 0


def test_login_failures_are_counted(tmp_path, real_data_dir):
    application = _app(tmp_path, real_data_dir, METRICS_TOKEN=TOKEN, WTF_CSRF_ENABLED=False)
    client = application.test_client()
    before = total(client.get("/metrics", headers=AUTH).get_data(as_text=True), "beanflows_login_failures_total")
    for _ in range(2):
        response = client.post("/login", data={"email": "nobody@example.com", "password": "wrong password!"})
        assert response.status_code == 401
    after = total(client.get("/metrics", headers=AUTH).get_data(as_text=True), "beanflows_login_failures_total")
    assert after - before == 2


# Each wrk thread holds one connection and stops after PER_THREAD answers: no request is left in flight
# when wrk stops, so what wrk reports is every request the server answered.
STOP_AFTER = """
local answered = 0
function response(status, headers, body)
  answered = answered + 1
  if answered >= %d then wrk.thread:stop() end
end
"""
PER_THREAD = 150


def _wrk_requests(url, script):
    """Run a bounded wrk load on url (two threads, a connection each) and return the requests wrk reports."""
    script.write_text(STOP_AFTER % PER_THREAD)
    result = subprocess.run(["wrk", "-t2", "-c2", "-d20s", "--timeout", "10s", "-s", str(script), url],
                            capture_output=True, text=True, check=True, timeout=60)
    assert "Non-2xx" not in result.stdout, result.stdout
    return int(re.search(r"(\d+) requests in", result.stdout).group(1))


def test_counter_under_load_matches_wrk_over_two_workers(live, tmp_path):
    counts = tmp_path / "prometheus"
    counts.mkdir()
    server = live(workers=2, METRICS_TOKEN=TOKEN, PROMETHEUS_MULTIPROC_DIR=str(counts))
    sent = _wrk_requests(f"{server.url}/healthz", tmp_path / "stop.lua")
    assert sent == 2 * PER_THREAD

    def workers():
        """Return the pids of the workers (not the master, which loaded the app) that wrote counts."""
        return {path.stem.rsplit("_", 1)[1] for path in counts.glob("counter_*.db")} - {str(server.proc.pid)}

    # wrk's kept-alive connections may all have gone to one worker: new connections until both have counted.
    while len(workers()) < 2 and sent < 2 * PER_THREAD + 500:
        assert requests.get(f"{server.url}/healthz", headers={"Connection": "close"}, timeout=10).ok
        sent += 1
    assert len(workers()) >= 2, workers()
    # Every scrape, whichever worker answers it, sums both workers' counts (+1: the harness's start-up poll).
    for _ in range(6):
        text = requests.get(f"{server.url}/metrics", headers=AUTH, timeout=10).text
        assert total(text, "beanflows_http_requests_total", route="/healthz", status="200") == sent + 1


def test_chart_callbacks_are_timed_by_output_and_cache_lookups_counted(tmp_path, real_data_dir):
    from tests.billing.conftest import add_user, login
    from tests.harness import dash_client as dc

    application = _app(tmp_path, real_data_dir, METRICS_TOKEN=TOKEN)
    client = application.test_client()
    login(client, application, add_user(application, "timed@example.com", access_granted=True))
    body = dc.drawn_body(client, "/dashboards/production", "production-by-country-graph")
    csrf = client.get_cookie("_csrf_token").value
    before = client.get("/metrics", headers=AUTH).get_data(as_text=True)
    for _ in range(3):
        assert client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf}).status_code == 200
    after = client.get("/metrics", headers=AUTH).get_data(as_text=True)

    def grew(name, **labels):
        return total(after, name, **labels) - total(before, name, **labels)

    assert grew("beanflows_dash_callback_duration_seconds_count", output="production-by-country-graph") == 3
    assert grew("beanflows_response_cache_total", result="miss") == 1
    assert grew("beanflows_response_cache_total", result="hit") == 2
    # A page URL is counted under its declared path.
    client.get("/dashboards/production?year=2020")
    text = client.get("/metrics", headers=AUTH).get_data(as_text=True)
    assert total(text, "beanflows_http_requests_total", route="/dashboards/production", method="GET") >= 2


def test_ingest_outcomes_are_counted(tmp_path):
    empty = tmp_path / "data"
    application = _app(tmp_path, empty, METRICS_TOKEN=TOKEN)
    runner = application.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["ingest", str(tmp_path / "missing.zip")]).exit_code == 1
    text = application.test_client().get("/metrics", headers=AUTH).get_data(as_text=True)
    assert total(text, "beanflows_ingest_runs_total", command="ingest", outcome="failed") == 2
    assert total(text, "beanflows_ingest_runs_total", outcome="loaded") == 0
    assert samples(text, "beanflows_serving_file_age_seconds") == []  # nothing served yet: no age to report
