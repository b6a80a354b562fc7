"""A host behind a shared catalog says so honestly, and a valid as_of waits for it (503) rather than failing (400)."""
import time

import pytest

from app import create_app
from data import pipeline
from data.serving import catalog_look, follow
from tests.auth.conftest import cli_user, client_login
from tests.conftest import base_config
from tests.data.test_release_order import EARLY, LATE, production, release_zips
from tests.harness.databases import copy_migrated

POLL = 30


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """Return (publisher settings, host app, host client signed in as a subscriber) on one SQLite catalog."""
    monkeypatch.setattr(catalog_look, "LOOK_SECONDS", 0)  # every request looks: no waiting out the cache here
    (tmp_path / "warehouse").mkdir()
    catalog = {"ICEBERG_CATALOG_URI": f"sqlite:///{tmp_path / 'catalog.db'}",
               "ICEBERG_WAREHOUSE": (tmp_path / "warehouse").as_uri()}
    publisher = {"BEANFLOWS_DATA_DIR": str(tmp_path / "publisher"), **catalog}
    config = {**base_config(tmp_path, tmp_path / "host"), **catalog, "RELEASE_POLL_SECONDS": POLL}
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(config)
    client = app.test_client()
    client_login(client, cli_user(app, "behind@example.com", "--comp"))
    return publisher, app, client


def api(client, **params):
    """Return the API's answer for Brazil's 2020 production."""
    return client.get("/api/v1/metrics", query_string={"metric": "production", "country": "BRA", "start": 2020,
                                                       "end": 2020, **params})


def dashboard(client, release):
    """Return the first layout of the production dashboard asked for as published in release, as text."""
    client.get(f"/dashboards/production?release={release}")
    return client.get("/_dash-layout", headers={"Referer": f"http://localhost/dashboards/production?release={release}"}
                      ).get_data(as_text=True)


def test_a_host_behind_reports_its_lag_and_makes_a_valid_as_of_wait(shared, tmp_path):
    publisher, app, client = shared
    zips = release_zips(tmp_path)
    pipeline.ingest(publisher, str(zips[EARLY]))
    assert follow.step(app.config)["built"]["release_id"] == EARLY
    assert client.get("/readyz").get_json()["release"]["lag_seconds"] == 0
    pipeline.ingest(publisher, str(zips[LATE]))  # the follower has not looked since
    time.sleep(1.2)
    release = client.get("/readyz").get_json()["release"]
    assert release["served"] == EARLY and release["latest"] == LATE and release["lag_seconds"] >= 1
    waiting = api(client, as_of=LATE)
    assert waiting.status_code == 503 and waiting.headers["Retry-After"] == str(POLL)
    assert LATE in waiting.get_json()["error"]
    assert api(client, as_of="2019-01").status_code == 400  # a release nobody published is still refused
    assert f"Release {LATE} is being loaded on this server" in dashboard(client, LATE)
    assert "Release '2019-01' is not known" in dashboard(client, "2019-01")
    assert follow.step(app.config)["built"]["release_id"] == LATE
    release = client.get("/readyz").get_json()["release"]
    assert release["served"] == LATE and release["lag_seconds"] == 0
    answer = api(client, as_of=LATE)
    assert answer.status_code == 200
    assert answer.get_json()["rows"][0]["production"] == pytest.approx(production(LATE)[("BRA", 2020)])
