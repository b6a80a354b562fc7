"""Two web hosts on one catalog (PostgreSQL) and one bucket (moto's server): a release published once reaches both.

Each host is a gunicorn process with its own port and data directory; both share the users database, Redis,
the Iceberg catalog and the bucket. A third process publishes releases with `flask --app app ingest`.
"""
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, SECRET, create_user, login_session, migrate_database, start_server
from tests.data.live_layout import to_live, write_zip
from tests.harness.releases import edit, long_values, release_frames

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

POLL = 4  # RELEASE_POLL_SECONDS of both hosts
SLACK = 20  # seconds a build may take on top of the poll interval on a busy 2-core machine


def _frames():
    """Return the releases published here: the three with known edits, then a fourth revising Brazil 2021."""
    frames = release_frames()
    frames["2025-03"] = edit(frames["2024-12"], "Brazil", 2021, "028", 1.01)
    frames["2024-11"] = edit(frames["2024-09"], "Brazil", 2020, "028", 1.02)  # published late, after 2025-03
    return frames


class Fleet:
    """The shared services' settings, the two hosts and the publisher's environment."""

    def __init__(self, tmp, env, hosts, session, store):
        self.tmp, self.env, self.hosts, self.session, self.store = tmp, env, hosts, session, store

    def publish(self, release_id, notice=True):
        """Ingest one release from a third process (with or without Redis to send the notice)."""
        year, month = map(int, release_id.split("-"))
        source = write_zip(to_live(_frames()[release_id], year, month), self.tmp / f"psd_{release_id}.zip")
        # The publisher reaches moto directly: only the hosts' way to the bucket goes through the gate.
        env = {**os.environ, **self.env, "BEANFLOWS_DATA_DIR": str(self.tmp / "publisher"),
               "REDIS_URL": self.env["REDIS_URL"] if notice else "", "ICEBERG_S3_ENDPOINT": self.store.direct}
        result = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "ingest", str(source),
                                 "--force"], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert f"as release {release_id}" in result.stdout

    def ready(self, host):
        """Return host's /readyz body."""
        return requests.get(f"{host.url}/readyz", timeout=10).json()

    def state(self, host):
        """Return host's follower state file."""
        try:
            return json.loads((Path(host.env["BEANFLOWS_DATA_DIR"]) / "follow_state.json").read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def wait_served(self, release_id, timeout):
        """Return the seconds until both hosts serve release_id; fail after timeout."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if all(self.ready(host)["release"]["served"] == release_id for host in self.hosts):
                return time.monotonic() - started
            time.sleep(0.2)
        pytest.fail(f"not both hosts serve {release_id} after {timeout} s: "
                    f"{[self.ready(host)['release'] for host in self.hosts]}")

    def production(self, host, country, year):
        """Return the API's production figure of one country-year on host, as the subscriber."""
        response = self.session.get(f"{host.url}/api/v1/metrics", timeout=10,
                                    params={"metric": "production", "country": country, "start": year, "end": year})
        assert response.status_code == 200, response.text
        return response.json()["rows"][0]["production"]


class Load:
    """A bounded load on both hosts (two threads, one request at a time each) recording every status."""

    def __init__(self, fleet):
        self.fleet, self.statuses, self.failures = fleet, [], []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(host,), daemon=True) for host in fleet.hosts]

    def _run(self, host):
        """Alternate an API query and /healthz until stopped."""
        while not self.stopping.is_set():
            for path in ("/api/v1/metrics?metric=production&country=BRA&start=2020&end=2021", "/healthz"):
                try:
                    self.statuses.append(self.fleet.session.get(f"{host.url}{path}", timeout=15).status_code)
                except requests.RequestException as exc:
                    self.failures.append(repr(exc))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, postgres_database, redis_url, s3_store):
    """Start hosts A and B on one users database, Redis, catalog and bucket, with release 2024-06 published."""
    tmp = tmp_path_factory.mktemp("release-follow")
    env = {"SECRET_KEY": SECRET, "DATABASE_URL": postgres_database(), "REDIS_URL": redis_url,
           "REDIS_KEY_PREFIX": f"bf-test-{uuid.uuid4().hex[:8]}", "ICEBERG_CATALOG_URI": postgres_database(),
           "RELEASE_POLL_SECONDS": str(POLL), **s3_store.warehouse()}
    fleet = Fleet(tmp, env, [], None, s3_store)
    fleet.publish("2024-06")
    migrate_database(env["DATABASE_URL"], tmp / "publisher")
    for name in ("host-a", "host-b"):
        fleet.hosts.append(start_server({**env, "BEANFLOWS_DATA_DIR": str(tmp / name)}, workers=2, threads=2))
    try:
        fleet.wait_served("2024-06", POLL + SLACK)  # each host builds its first file from the catalog
        fleet.session = login_session(fleet.hosts[0], create_user(fleet.hosts[0], "follower@example.com", "--comp"))
        yield fleet
    finally:
        for host in fleet.hosts:
            host.stop()


@pytest.fixture(scope="module")
def published():
    """Return each release's production by (country, market year), by pandas."""
    return {r: long_values(f).query("attribute_id == 28").set_index(["country_code", "market_year"])["value"]
            for r, f in _frames().items()}


def test_both_hosts_build_their_own_file_from_the_catalog(fleet, published):
    files = [Path(host.env["BEANFLOWS_DATA_DIR"]) / "serving.duckdb" for host in fleet.hosts]
    assert all(path.exists() for path in files) and files[0] != files[1]
    for host in fleet.hosts:
        release = fleet.ready(host)["release"]
        assert release["latest"] == "2024-06" and release["lag_seconds"] == 0 and "error" not in release
        assert fleet.production(host, "BRA", 2020) == pytest.approx(published["2024-06"][("BRA", 2020)])


def test_a_release_reaches_both_hosts_by_polling_without_a_5xx(fleet, published):
    with Load(fleet) as load:
        time.sleep(1)
        fleet.publish("2024-09", notice=False)
        took = fleet.wait_served("2024-09", POLL + SLACK)
        time.sleep(1)
    assert took <= POLL + SLACK
    assert load.failures == [] and load.statuses and all(status == 200 for status in load.statuses), \
        sorted(set(load.statuses))
    for host in fleet.hosts:
        assert fleet.production(host, "BRA", 2020) == pytest.approx(published["2024-09"][("BRA", 2020)])
        assert fleet.ready(host)["release"]["lag_seconds"] == 0


def test_a_redis_notice_brings_a_release_at_once(fleet, published):
    with Load(fleet) as load:
        fleet.publish("2024-12", notice=True)
        took = fleet.wait_served("2024-12", POLL + SLACK)
    assert load.failures == [] and all(status == 200 for status in load.statuses), sorted(set(load.statuses))
    for host in fleet.hosts:
        assert fleet.production(host, "COL", 2022) == pytest.approx(published["2024-12"][("COL", 2022)])
    print(f"served 2024-12 on both hosts {took:.1f} s after the ingest ended")


def test_the_bucket_going_down_mid_build_leaves_the_last_release_served_until_it_returns(fleet, published):
    gate = fleet.store.gate
    before = fleet.ready(fleet.hosts[0])["release"]["served"]
    assert [fleet.ready(host)["release"]["served"] for host in fleet.hosts] == [before, before]
    gate.delay = 0.2  # a slow link for the hosts: a build reads long enough to be cut off in the middle
    publisher = threading.Thread(target=fleet.publish, args=("2025-03",), kwargs={"notice": False})
    publisher.start()
    deadline = time.monotonic() + 60 + POLL + SLACK
    while not any(fleet.state(host).get("building", {}).get("release_id") == "2025-03" for host in fleet.hosts):
        assert time.monotonic() < deadline, [fleet.state(host) for host in fleet.hosts]
        time.sleep(0.01)
    gate.shut()  # the hosts' S3 endpoint goes down while one of them builds
    gate.delay = 0
    publisher.join()
    try:
        failed, deadline = {}, time.monotonic() + 60
        while len(failed) < len(fleet.hosts):
            assert time.monotonic() < deadline, [fleet.state(host) for host in fleet.hosts]
            for number, host in enumerate(fleet.hosts):
                error = fleet.state(host).get("error")
                if error and number not in failed:
                    failed[number] = error["stage"]
            time.sleep(0.1)
        # The host caught building fails its build; the other fails its next look at the catalog, or its build.
        assert "build the serving file" in failed.values(), failed
        assert set(failed.values()) <= {"build the serving file", "check the catalog"}, failed
        for number, host in enumerate(fleet.hosts):
            body = fleet.ready(host)
            assert body["status"] == "ready" and body["release"]["served"] == before
            assert body["release"]["error"]["type"]
            if failed[number] == "build the serving file":  # it saw the new release: it lags behind it
                assert body["release"]["latest"] == "2025-03" and body["release"]["lag_seconds"] > 0
            assert fleet.production(host, "BRA", 2021) == pytest.approx(published[before][("BRA", 2021)])
    finally:
        gate.open()
    fleet.wait_served("2025-03", POLL + SLACK)
    for host in fleet.hosts:
        assert fleet.production(host, "BRA", 2021) == pytest.approx(published["2025-03"][("BRA", 2021)])
        release = fleet.ready(host)["release"]
        assert "error" not in release and release["lag_seconds"] == 0


def test_a_late_older_release_is_stored_and_queryable_but_never_the_default(fleet, published):
    before = [fleet.state(host).get("built", {}).get("fingerprint") for host in fleet.hosts]
    fleet.publish("2024-11", notice=False)
    deadline = time.monotonic() + POLL + SLACK
    while any(fleet.state(host).get("built", {}).get("fingerprint") == old for host, old in zip(fleet.hosts, before)):
        assert time.monotonic() < deadline, [fleet.state(host) for host in fleet.hosts]
        time.sleep(0.2)
    for host in fleet.hosts:
        release = fleet.ready(host)["release"]
        assert release["served"] == release["latest"] == "2025-03" and release["lag_seconds"] == 0, release
        assert fleet.production(host, "BRA", 2021) == pytest.approx(published["2025-03"][("BRA", 2021)])
        late = fleet.session.get(f"{host.url}/api/v1/metrics", timeout=10, params={
            "metric": "production", "country": "BRA", "start": 2020, "end": 2020, "as_of": "2024-11"})
        assert late.status_code == 200, late.text
        assert late.json()["rows"][0]["production"] == pytest.approx(published["2024-11"][("BRA", 2020)])
