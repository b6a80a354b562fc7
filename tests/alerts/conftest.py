"""Alerts fixtures: three releases with known edits, a real SMTP server and a real RQ worker."""
import os
import subprocess
import sys
import uuid

import pytest

from tests.conftest import ROOT, SECRET, base_config
from tests.data.live_layout import raw_text_frame, to_live, write_zip
from tests.harness.releases import edit
from tests.web.conftest import Mailbox, smtp  # noqa: F401  (the aiosmtpd fixture)


def releases():
    """Return {release id: raw frame}: Brazil's 2023 production -10% and Vietnam's 2023 ending stocks
    -60% in the second; Colombia's 2022 exports +3% in the third."""
    raw = raw_text_frame()
    second = edit(edit(raw, "Brazil", 2023, "028", 0.90), "Vietnam", 2023, "176", 0.40)
    third = edit(second, "Colombia", 2022, "088", 1.03)
    return {"2025-01": raw, "2025-04": second, "2025-07": third}


@pytest.fixture
def alerts_env(tmp_path, smtp, redis_url):
    """Return (app, settings as environment, mailbox, release zips) with a unique queue on the local Redis."""
    from app import create_app
    from tests.harness.databases import copy_migrated

    mailbox, port = smtp
    data_dir = tmp_path / "data"
    env = {"SECRET_KEY": SECRET, "DATABASE_URL": f"sqlite:///{tmp_path / 'users.db'}",
           "BEANFLOWS_DATA_DIR": str(data_dir), "REDIS_URL": redis_url,
           "ALERTS_QUEUE": f"test-alerts-{uuid.uuid4().hex[:10]}", "ALERTS_RETRY_INTERVALS": "0,0,0",
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "BASE_URL": "http://beanflows.test"}
    config = {**base_config(tmp_path, data_dir), **{k: v for k, v in env.items() if k != "DATABASE_URL"},
              "MAIL_PORT": port, "ALERTS_RETRY_INTERVALS": [0, 0, 0]}
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(config)
    zips = {}
    for release_id, frame in releases().items():
        year, month = map(int, release_id.split("-"))
        zips[release_id] = write_zip(to_live(frame, year, month), tmp_path / f"psd_{release_id}.zip")
    return app, env, mailbox, zips


def run_worker(env):
    """Run a real RQ worker (`flask alerts worker --burst`) in a subprocess until the queue is empty."""
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "alerts", "worker", "--burst"],
                            cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def ingest_cli(env, *args):
    """Load a release through `flask --app app ingest ARGS` as cron's refresh or a user would; return its output."""
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "ingest", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def add_revision_rule(page, country, threshold, metric="production", year_choice="next"):
    """Create a revision rule through the /alerts form in a Playwright page and wait for the rule list."""
    page.goto("/alerts")
    page.select_option("#kind", "revision")
    page.select_option("#country_code", country)
    page.select_option("#metric", metric)
    page.select_option("#year_choice", year_choice)
    page.fill("#threshold_pct", str(threshold))
    page.click("#alerts-save")
    page.wait_for_selector("#alerts-rules")
