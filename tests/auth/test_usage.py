"""Usage events: recorded per user for each action, written in batches off the request path, purged on schedule."""
import time
from datetime import timedelta

import pandas as pd
import pytest

from tests.auth.conftest import cli_user, client_login, form_token
from tests.conftest import base_config
from tests.harness import dash_client as dc

VALUES = {("production-countries", "value"): ["BRA", "VNM"], ("production-range", "value"): [2000, 2023],
          ("production-units", "value"): "bags", ("production-metric", "value"): "production",
          ("production-window", "value"): 5, ("production-enso", "value"): "off"}


def _app(tmp_path, data_dir, **overrides):
    """Return a migrated app that flushes only when told to (unless overridden)."""
    from flask_migrate import upgrade

    from app import create_app

    settings = {**base_config(tmp_path, data_dir), "USAGE_FLUSH_SIZE": 10_000, "USAGE_FLUSH_SECONDS": 3600,
                **overrides}
    application = create_app(settings)
    with application.app_context():
        upgrade()
    return application


def _events(app):
    """Return every stored usage event as a frame."""
    from extensions import db

    with app.app_context():
        return pd.read_sql("SELECT user_id, kind, detail, created_at FROM usage_events ORDER BY id", db.engine)


def _timings(app):
    """Return every stored request timing as a frame."""
    from extensions import db

    with app.app_context():
        return pd.read_sql("SELECT * FROM request_timings ORDER BY id", db.engine)


def _subscriber(app, email="usage@example.com"):
    """Return (client, user id) of a logged-in subscriber."""
    from models.accounts import User

    cli_user(app, email, "--comp")
    client = app.test_client()
    assert client_login(client, email).status_code in (302, 303)
    with app.app_context():
        return client, User.by_email(email).id


def _call(client, deps, output_id, changed, prop=None):
    """Call a Dash callback in-process the way dash-renderer does."""
    values = {**VALUES, **{(c.rsplit(".", 1)[0], c.rsplit(".", 1)[1]): 1 for c in changed if "button" in c}}
    body = dc.body(dc.find(deps, output_id, prop), values, changed)
    response = client.post("/_dash-update-component", json=body,
                           headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def test_each_action_is_recorded_with_the_user_id_only_and_written_in_one_batch(tmp_path, real_data_dir):
    from auth import api_tokens, usage
    from extensions import db
    from models.accounts import User

    app = _app(tmp_path, real_data_dir)
    client, user_id = _subscriber(app)
    client.get("/dashboards/production")
    client.get("/_dash-layout", headers={"Referer": "http://localhost/dashboards/production"})
    deps = client.get("/_dash-dependencies").get_json()
    _call(client, deps, "production-url", ["production-metric.value"], "search")
    _call(client, deps, "production-by-country-csv", ["production-by-country-csv-button.n_clicks"])
    _call(client, deps, "production-by-country-csv", ["production-by-country-xlsx-button.n_clicks"])
    api = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2021"
    assert client.get(api).status_code == 200
    with app.app_context():
        token, raw = api_tokens.create(db.session.get(User, user_id))
        token_id = token.id
    assert app.test_client().get(api, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    views = client.post("/views", data={"name": "Mine", "url": "/dashboards/production?metric=production",
                                        "csrf_token": form_token(client, "/alerts")})
    assert views.status_code == 303
    rule = client.post("/alerts", data={"kind": "revision", "country_code": "BRA", "metric": "production",
                                        "year_choice": "next", "threshold_pct": "5", "active": "y",
                                        "csrf_token": form_token(client, "/alerts")})
    assert rule.status_code == 303
    assert _events(app).empty  # nothing written on the request path
    written = usage.flush(app)

    events = _events(app)
    assert written == len(events) + len(_timings(app))  # one batch: the events and every request's timing
    assert set(events["user_id"]) == {user_id}
    assert list(events.columns) == ["user_id", "kind", "detail", "created_at"]  # no address, agent or email
    got = sorted(zip(events["kind"], events["detail"]))
    assert got == sorted([
        ("dashboard_opened", "/dashboards/production"),
        ("filter_changed", "production.metric"),
        ("download", "production-by-country.csv"),
        ("download", "production-by-country.xlsx"),
        ("api_call", "session"),
        ("api_call", f"token:{token_id}"),
        ("view_saved", "/dashboards/production"),
        ("alert_rule_created", "revision"),
    ])


def test_anonymous_requests_record_nothing(tmp_path, real_data_dir):
    from auth import usage

    app = _app(tmp_path, real_data_dir)
    client = app.test_client()
    client.get("/")
    client.get("/_dash-layout", headers={"Referer": "http://localhost/"})
    usage.flush(app)
    assert _events(app).empty
    timings = _timings(app)  # kept for the daily latency figures: no user, no address
    assert list(timings.columns) == ["id", "created_at", "route", "status", "duration_ms"]
    assert sorted(timings["route"]) == ["/", "/_dash-layout"] and set(timings["status"]) == {200}


@pytest.mark.parametrize("batch", [{"USAGE_FLUSH_SIZE": 1}, {"USAGE_FLUSH_SECONDS": 0.2}], ids=["by size", "by age"])
def test_the_writer_thread_writes_batches_by_size_or_age(tmp_path, real_data_dir, batch):
    app = _app(tmp_path, real_data_dir, **batch)
    client, user_id = _subscriber(app)
    for _ in range(3):
        client.get("/_dash-layout", headers={"Referer": "http://localhost/dashboards/production"})
    deadline = time.monotonic() + 10
    while len(_events(app)) < 3 and time.monotonic() < deadline:  # nobody calls flush: the thread writes
        time.sleep(0.05)
    assert list(_events(app)["kind"]) == ["dashboard_opened"] * 3


def test_purge_deletes_only_events_older_than_the_retention(tmp_path, real_data_dir):
    from extensions import db
    from models.accounts import utcnow
    from models.usage import UsageEvent

    app = _app(tmp_path, real_data_dir, USAGE_RETENTION_DAYS=30)
    _, user_id = _subscriber(app)
    now = utcnow()
    ages = [0, 29, 31, 400]
    with app.app_context():
        db.session.add_all([UsageEvent(user_id=user_id, kind="api_call", detail=str(age),
                                       created_at=now - timedelta(days=age)) for age in ages])
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["usage", "purge"])
    assert result.exit_code == 0 and "Deleted 2 usage events older than 30 days" in result.output
    assert sorted(_events(app)["detail"].astype(int)) == [age for age in ages if age < 30]


@pytest.mark.parametrize("days", ["-1", "x"])
def test_purge_refuses_a_bad_period(tmp_path, real_data_dir, days):
    app = _app(tmp_path, real_data_dir)
    result = app.test_cli_runner().invoke(args=["usage", "purge", "--days", days])
    assert result.exit_code == 2 and "Invalid value" in result.output


def test_png_downloads_of_declared_charts_are_recorded_and_anything_else_refused(tmp_path, real_data_dir):
    from auth import usage

    app = _app(tmp_path, real_data_dir)
    client, user_id = _subscriber(app)
    client.get("/dashboards/production")
    headers = {"X-CSRFToken": client.get_cookie("_csrf_token").value}
    assert client.post("/usage/png", json={"chart": "production-by-country-graph"}, headers=headers).status_code == 204
    for bad in ({"chart": "no-such-graph"}, {"chart": ["production-by-country-graph"]}, ["x"], None):
        refused = client.post("/usage/png", json=bad, headers=headers)
        assert refused.status_code == 400 and "error" in refused.get_json()
    assert client.post("/usage/png", json={"chart": "production-by-country-graph"}).status_code == 400  # no CSRF
    assert app.test_client().post("/usage/png", json={"chart": "production-by-country-graph"},
                                  headers=headers).status_code in (400, 401)  # anonymous
    usage.flush(app)
    events = _events(app)
    assert list(zip(events["kind"], events["detail"])) == [("download", "production-by-country.png")]


def test_a_users_database_that_refuses_writes_is_logged_once_then_once_a_minute(tmp_path, monkeypatch, caplog):
    import logging

    from flask import Flask

    from auth import usage
    from extensions import db
    from models.usage import UsageEvent

    app = Flask(__name__)
    # A database file in a folder that does not exist: every write fails, as while the users database is down.
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'gone' / 'users.db'}", USAGE_FLUSH_SIZE=10,
                      USAGE_FLUSH_SECONDS=3600, TESTING=True)
    db.init_app(app)
    buffer = usage.UsageBuffer(app)
    clock = [1000.0]
    monkeypatch.setattr(usage.time, "monotonic", lambda: clock[0])
    with caplog.at_level(logging.WARNING, logger="auth.usage"):
        for _ in range(5):  # five tries within the minute: the first is logged with its trace
            buffer._rows.append((UsageEvent, {"user_id": 1, "kind": "api_call", "detail": ""}))
            assert buffer.flush() == 0
            clock[0] += 10
        clock[0] += 20
        assert buffer.flush() == 0  # a minute after the first: one line
    records = [(r.levelname, r.exc_info is not None) for r in caplog.records if r.name == "auth.usage"]
    assert records == [("ERROR", True), ("WARNING", False)]
    assert len(buffer._rows) == 5  # nothing lost
