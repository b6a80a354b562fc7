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
