"""`make run` on a machine with no data falls back to labelled demo data and serves."""
import os
import signal
import subprocess
import time

import requests

from callbacks import changes
from data.cli.options import REAL_FILE_HINT
from tests.conftest import ROOT, SECRET, LiveServer, create_user, free_port, login_session
from tests.dashboards.test_changes import call
from tests.harness import dash_client as dc
from tests.harness.charts import page_defaults


def test_make_run_serves_demo_data_when_usda_is_unreachable(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "SECRET_KEY": SECRET,
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "BEANFLOWS_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'users.db'}",
        "PSD_SOURCE_URL": "http://127.0.0.1:9/psd_coffee_csv.zip",
    }
    log = tmp_path / "make-run.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = LiveServer(env, port, proc)
    try:
        health = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = requests.get(f"{server.url}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        output = log.read_text()
        assert health is not None, output
        assert health.status_code == 200
        assert health.json()["source_kind"] == "demo"
        assert "DEMO DATA" in output
        assert "DEMO DATA" in requests.get(f"{server.url}/_dash-layout", timeout=5).text
        session = login_session(server, create_user(env, "walkthrough@example.com"))
        page = session.get(f"{server.url}/dashboards/overview", timeout=5)
        assert page.status_code == 200
        layout = session.get(f"{server.url}/_dash-layout", timeout=5).text
        assert "Overview" in layout
        # One sentence tells the newcomer how to load the real file.
        assert REAL_FILE_HINT in " ".join(output.split())
        # What changed has revisions between the demo releases to show a subscriber.
        subscriber = login_session(server, create_user(env, "walkthrough-sub@example.com", "--comp"))
        subscriber.get(f"{server.url}/dashboards/changes", timeout=30)
        client = dc.DashClient(subscriber, server.url)
        rows, _ = call(client, changes.REVISIONS_CHART, page_defaults(client, changes.PAGE), "rowData")
        assert [r for r in rows if r["kind"] == "revised"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
