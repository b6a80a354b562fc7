"""`make serve`: two web hosts on one machine and one shared catalog serve, never publish, and keep a follower alive.

The commands are docs/operations.md's walk from zero to two hosts (SQLite stands in for the shared PostgreSQL
catalog and a directory for the bucket: the walk is the same).
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from data.lake import iceberg
from tests.conftest import RAW_ZIP, ROOT, SECRET, LiveServer, free_port, migrate_database
from tests.data.live_layout import to_live, write_zip
from tests.harness.releases import release_frames

POLL = 2


def flask(env, *args):
    """Run a flask command with env; fail on error."""
    result = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", *args], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def ready(host):
    """Return host's /readyz release block."""
    return requests.get(f"{host.url}/readyz", timeout=10).json()["release"]


def wait(condition, timeout, what):
    """Wait until condition() is truthy; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if condition():
                return time.monotonic() - started
        except (requests.RequestException, KeyError, ValueError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} not within {timeout} s")


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """Publish the coffee file once, then start two hosts with `make serve`; yield (shared env, hosts)."""
    tmp = tmp_path_factory.mktemp("make-serve")
    (tmp / "warehouse").mkdir()
    shared = {key: value for key, value in os.environ.items() if key != "BEANFLOWS_ENV"}
    shared.update({"SECRET_KEY": SECRET, "DATABASE_URL": f"sqlite:///{tmp / 'users.db'}",
                   "ICEBERG_CATALOG_URI": f"sqlite:///{tmp / 'catalog.db'}",
                   "ICEBERG_WAREHOUSE": (tmp / "warehouse").as_uri(), "RELEASE_POLL_SECONDS": str(POLL),
                   "GUNICORN_WORKERS": "1", "GUNICORN_ACCESS_LOG": ""})
    flask({**shared, "BEANFLOWS_DATA_DIR": str(tmp / "publisher")}, "ingest", str(RAW_ZIP))  # publish once
    migrate_database(shared["DATABASE_URL"], tmp / "publisher")  # `flask db upgrade`, once
    hosts = []
    for name in ("host-a", "host-b"):
        env = {**shared, "BEANFLOWS_DATA_DIR": str(tmp / name), "PORT": str(free_port())}
        with open(tmp / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(["make", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        hosts.append(LiveServer(env, int(env["PORT"]), proc))
    try:
        for host in hosts:
            wait(lambda host=host: ready(host)["served"] is not None, 180, f"{host.url} serving")
        yield shared, tmp, hosts
    finally:
        for host in hosts:
            host.stop()


def snapshots(shared, tmp):
    """Return the catalog's snapshot ids."""
    config = {**shared, "BEANFLOWS_DATA_DIR": str(tmp / "publisher")}
    return [s.snapshot_id for s in iceberg.open_table(iceberg.open_catalog(config)).snapshots()]


def test_hosts_serve_the_catalog_without_publishing_in_production_mode(fleet):
    shared, tmp, hosts = fleet
    assert len(snapshots(shared, tmp)) == 1  # the publisher's load only: no host ingested
    for host in hosts:
        release = ready(host)
        assert release["lag_seconds"] == 0 and release["follower_restarts"] == 0
        # Production settings: no generated key, admins need a second factor; each host its own control socket.
        assert not (ROOT / "instance" / "secret_key").exists() or "SECRET_KEY" in host.env
        assert (Path(host.env["BEANFLOWS_DATA_DIR"]) / "gunicorn.ctl").is_socket()
    log = (tmp / "host-a.log").read_text()
    assert "ingest" not in log.lower() and "Error" not in log


def test_make_serve_refuses_without_a_shared_catalog(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("ICEBERG_CATALOG_URI", "BEANFLOWS_ENV")}
    result = subprocess.run(["make", "-s", "serve"], cwd=ROOT, env={**env, "BEANFLOWS_DATA_DIR": str(tmp_path)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "set ICEBERG_CATALOG_URI" in result.stdout + result.stderr
    assert not any(tmp_path.iterdir())


def test_a_killed_follower_is_noticed_and_restarted_and_releases_keep_coming(fleet):
    shared, tmp, hosts = fleet
    host = hosts[0]
    state = Path(host.env["BEANFLOWS_DATA_DIR"]) / "follower.json"
    import json

    pid = json.loads(state.read_text())["pid"]
    os.kill(pid, signal.SIGKILL)
    noticed = wait(lambda: ready(host)["follower_restarts"] == 1, 10, "the death on /readyz")
    release = ready(host)
    assert release["follower_last_exit"]["how"] in ("signal 9", "an unknown status"), release
    wait(lambda: json.loads(state.read_text())["pid"] != pid and json.loads(state.read_text())["status"] == "running",
         10, "a new follower")
    print(f"follower SIGKILL noticed on /readyz within {noticed:.1f} s")
    next_id = f"{int(ready(host)['served'][:4]) + 1}-01"  # after the real file's release
    frame = release_frames()["2024-09"]
    source = write_zip(to_live(frame, int(next_id[:4]), 1), tmp / f"psd_{next_id}.zip")
    flask({**shared, "BEANFLOWS_DATA_DIR": str(tmp / "publisher")}, "ingest", str(source))
    for each in hosts:
        wait(lambda each=each: ready(each)["served"] == next_id, POLL + 60, f"{each.url} serving {next_id}")
