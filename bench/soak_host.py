"""The soak's host: gunicorn on its own data, users database on PostgreSQL and Redis behind gates, real SMTP,
an alerts worker, and new releases loaded through the CLI as cron would."""
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import psycopg
import requests

from tests.data.live_layout import live_zip, raw_text_frame
from tests.harness import env as bench_env
from tests.harness.gate import Gate
from tests.harness.live import ROOT, SECRET, create_user, free_port, login_session, start_server
from tests.harness.releases import edit

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"
FIRST_RELEASE = (2027, 1)


class Mailbox:
    """An aiosmtpd handler keeping (recipients, subject) of each message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        """Keep the message's recipients and subject; accept it."""
        text = envelope.content.decode("utf-8", "replace")
        subject = next((line[9:] for line in text.splitlines() if line.startswith("Subject: ")), "")
        self.messages.append((tuple(envelope.rcpt_tos), subject))
        return "250 Message accepted for delivery"


def release_id(k):
    """Return the id of the soak's k-th release (0: the one loaded at start)."""
    year, month = FIRST_RELEASE
    return f"{year + (month - 1 + k) // 12}-{(month - 1 + k) % 12 + 1:02d}"


class SoakHost:
    """Everything the soak runs against; stop() undoes it all."""

    def __init__(self, workers=2):
        self.workdir = bench_env.workdir()
        self.data_dir = self.workdir / "data"
        self.workers = workers
        self.mailbox = Mailbox()
        self.smtp_port = free_port()
        self.smtp = self.worker = self.server = None
        self.releases = []  # (release id, seconds to load, exit code)
        self.database = f"beanflows_soak_{uuid.uuid4().hex[:8]}"

    def start(self):
        """Load the first release, create the users database, start every service; return self."""
        from data import pipeline
        from tests.harness.databases import migrate

        pipeline.ingest({"BEANFLOWS_DATA_DIR": str(self.data_dir)},
                        str(live_zip(self.workdir / "first.zip", *FIRST_RELEASE)))
        self.releases.append((release_id(0), 0.0, 0))
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
        self.direct_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.database}"
        migrate(self.direct_url, self.data_dir)
        self.redis, self.postgres = Gate.opened(6379), Gate.opened(5432)
        prefix = f"bf-soak-{uuid.uuid4().hex[:8]}"
        self.env = {"SECRET_KEY": SECRET, "BEANFLOWS_DATA_DIR": str(self.data_dir),
                    "DATABASE_URL": self.direct_url.replace(":5432/", f":{self.postgres.port}/"),
                    "REDIS_URL": REDIS.replace(":6379/", f":{self.redis.port}/"), "REDIS_KEY_PREFIX": prefix,
                    "ALERTS_QUEUE": prefix, "ALERTS_RETRY_INTERVALS": "2,5,10", "MAIL_SERVER": "127.0.0.1",
                    "MAIL_PORT": str(self.smtp_port), "LOGIN_RATE_LIMIT": "1000 per minute",
                    "LOGIN_ADDRESS_RATE_LIMIT": "1000 per minute"}
        self.smtp_up()
        self.server = start_server(self.env, workers=self.workers)
        self.email = create_user(self.server, "soak@example.com", "--comp")
        self._rule()
        self.session = login_session(self.server, self.email)
        self.log = tempfile.NamedTemporaryFile(prefix="soak-worker-", suffix=".log", delete=False)
        self.worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "alerts", "worker"], cwd=ROOT,
                                       env=self.server.env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def _rule(self):
        """Give the subscriber a rule every release fires (world stocks-to-use below 100%): one digest a release."""
        with psycopg.connect(self.direct_url.replace("+psycopg", ""), autocommit=True) as conn:
            user_id = conn.execute("SELECT id FROM users WHERE email = %s", (self.email,)).fetchone()[0]
            conn.execute("INSERT INTO alert_rules (user_id, kind, country_code, metric, year_choice, threshold_pct, "
                         "active, created_at) VALUES (%s, 'stocks_to_use', 'WORLD', 'stocks_to_use_pct', 'current', "
                         "100, true, now())", (user_id,))

    def smtp_up(self):
        """Start the mail server on its port (the same mailbox each time)."""
        from aiosmtpd.controller import Controller

        self.smtp = Controller(self.mailbox, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

    def smtp_down(self):
        """Stop the mail server: its port refuses connections."""
        self.smtp.stop()

    def worker_pids(self):
        """Return the gunicorn master's children."""
        pid = self.server.proc.pid
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return sorted(int(p) for p in children.read().split())

    def kill_worker(self):
        """SIGKILL one gunicorn worker; return its pid."""
        victim = self.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def release(self):
        """Load the next release through `flask ingest` (one value revised); return (id, seconds, exit code)."""
        k = len(self.releases)
        frame = edit(raw_text_frame(), "Brazil", 2020, "028", 1 + 0.002 * k)
        year, month = map(int, release_id(k).split("-"))
        source = live_zip(self.workdir / f"release-{k}.zip", year, month, frame=frame)
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "ingest", str(source)], cwd=ROOT,
                                env=self.server.env, capture_output=True, text=True, timeout=600)
        self.releases.append((release_id(k), time.monotonic() - started, result.returncode))
        if result.returncode:
            print(f"  release {release_id(k)} failed: {result.stderr[-500:]}", flush=True)
        return self.releases[-1]

    def deliveries(self):
        """Return {status: count} of the alert emails in the users database (read past the gate)."""
        with psycopg.connect(self.direct_url.replace("+psycopg", "")) as conn:
            return dict(conn.execute("SELECT status, count(*) FROM alert_deliveries GROUP BY status").fetchall())

    def ready(self):
        """Return /readyz's status."""
        return requests.get(f"{self.server.url}/readyz", timeout=10).json()["status"]

    def stop(self):
        """Stop the worker, gunicorn, the mail server and the gates; drop the users database."""
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        if self.server is not None:
            self.server.stop()
        if self.smtp is not None:
            try:
                self.smtp.stop()
            except (AssertionError, RuntimeError):  # already stopped by a fault
                pass
        for gate in (getattr(self, "redis", None), getattr(self, "postgres", None)):
            if gate is not None:
                gate.shut()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
