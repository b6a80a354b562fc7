"""/readyz: 200 when data, users database and Redis answer; 503 naming the failure, without paths or secrets."""
from datetime import datetime, timezone

import pandas as pd

from tests.conftest import RAW_CSV, base_config


def _app(tmp_path, data_dir, **overrides):
    """Return a migrated app on data_dir."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({**base_config(tmp_path, data_dir), **overrides})
    with app.app_context():
        upgrade()
    return app


def test_ready_with_data_database_and_redis(tmp_path, real_data_dir, redis_url):
    response = _app(tmp_path, real_data_dir, REDIS_URL=redis_url).test_client().get("/readyz")
    assert response.status_code == 200
    # The raw file names no Calendar_Year/Month, so its release is the month it was loaded.
    month = pd.read_csv(RAW_CSV, dtype=str)["Calendar_Year"].dropna()
    assert month.empty
    assert response.get_json() == {"status": "ready", "checks": {"data": "ok", "database": "ok", "redis": "ok"},
                                   "release": {"served": datetime.now(timezone.utc).strftime("%Y-%m"),
                                               "follower": "off (local catalog)"}}


def test_not_ready_names_what_failed_without_revealing_paths(tmp_path, real_data_dir):
    secret_path = tmp_path / "secret-place" / "nothing-here"
    app = _app(tmp_path, secret_path, REDIS_URL="redis://:hunter2@127.0.0.1:1/0")
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////nonexistent-dir/users.db"
    response = app.test_client().get("/readyz")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["data"].startswith("error") and checks["redis"].startswith("error")
    assert "secret-place" not in body and "hunter2" not in body and "nonexistent" not in body


def test_a_following_host_names_its_release_the_catalogs_and_the_lag(tmp_path, real_data_dir):
    import shutil
    from datetime import timedelta

    from data.serving import follow_state

    data_dir = tmp_path / "host"
    data_dir.mkdir()
    shutil.copy(real_data_dir / "serving.duckdb", data_dir / "serving.duckdb")
    # A catalog URI makes the host a follower; /readyz reads only the follower's state, not the catalog.
    app = _app(tmp_path, data_dir, ICEBERG_CATALOG_URI="postgresql+psycopg://unused/none", RELEASE_POLL_SECONDS=30.0)
    served = datetime.now(timezone.utc).strftime("%Y-%m")
    release = app.test_client().get("/readyz").get_json()["release"]
    assert release == {"served": served, "latest": None, "lag_seconds": 0.0, "checked_at": None,
                       "follower": "not running"}
    published = datetime.now(timezone.utc) - timedelta(seconds=90)
    follow_state.write(data_dir, {
        "looked_at": follow_state.now(), "checked_at": follow_state.now(),
        "latest": {"release_id": "2099-01", "snapshot_id": 1, "committed_at": published.isoformat()},
        "error": {"stage": "build the serving file", "type": "OSError", "message": "/secret/path unreachable",
                  "since": follow_state.now()}})
    response = app.test_client().get("/readyz")
    release = response.get_json()["release"]
    assert response.status_code == 200 and release["served"] == served and release["latest"] == "2099-01"
    assert 90 <= release["lag_seconds"] < 150 and "follower" not in release
    assert release["error"]["stage"] == "build the serving file" and "/secret/path" not in response.get_data(True)
    stale = (datetime.now(timezone.utc) - timedelta(seconds=600)).isoformat(timespec="seconds")
    follow_state.write(data_dir, {**follow_state.read(data_dir), "looked_at": stale})
    assert app.test_client().get("/readyz").get_json()["release"]["follower"].startswith("silent for 6")
