"""Run the app for tests and benchmarks: gunicorn, users, logins, a browser."""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
RAW_CSV = SHARED_DATA / "psd_coffee.csv"
RAW_ZIP = SHARED_DATA / "psd_coffee_csv.zip"
ONI_TXT = SHARED_DATA / "noaa_oni.ascii.txt"
GRAINS_ZIP = SHARED_DATA / "psd_grains_pulses_csv.zip"
# The World Bank Pink Sheet editions, oldest first: December 2024 (with a row of series codes), May 2025 (without).
PINK_SHEETS = (SHARED_DATA / "worldbank_cmo_monthly_2024-12.xlsx", SHARED_DATA / "worldbank_cmo_monthly_2025-05.xlsx")
SECRET = "test-secret-key-not-for-production"
# Software compositing without a GPU process and one renderer per tab rather than per site (every page is on
# 127.0.0.1): a tenth less browser CPU in the browser tests, with the same pages drawn.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-software-rasterizer", "--disable-gpu-compositing", "--disable-site-isolation-trials",
                 "--disable-features=IsolateOrigins,site-per-process"]


def free_port():
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]



class LiveServer:
    """A gunicorn process serving the app on a free loopback port."""

    def __init__(self, env, port, proc):
        self.env, self.port, self.proc = env, port, proc
        self.url = f"http://127.0.0.1:{port}"

    def stop(self):
        """Stop gunicorn and its workers (quick shutdown: tests hold keep-alive connections)."""
        try:
            os.killpg(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # any worker the master left behind
        except ProcessLookupError:
            pass
        self.proc.wait()
        log = getattr(self, "log", None)
        if log is not None:
            log.unlink(missing_ok=True)


def start_server(env_overrides, workers=1, threads=4, app="app:create_app()", port=None):
    """Start gunicorn serving app with env_overrides (on port, default a free one) and wait until /healthz answers."""
    port = port or free_port()
    env = {**os.environ, "SECRET_KEY": SECRET, "PORT": str(port), "GUNICORN_WORKERS": str(workers),
           "GUNICORN_THREADS": str(threads), "GUNICORN_ACCESS_LOG": "", **env_overrides}
    bindir = Path(sys.executable).parent
    # A file, not a pipe: nobody reads a pipe while serving, and a full one blocks gunicorn.
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [str(bindir / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
    )
    log.close()
    server = LiveServer(env, port, proc)
    server.log = Path(log.name)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.log.read_text()[-2000:]}")
        try:
            requests.get(f"{server.url}/healthz", timeout=5)
            return server
        except (requests.ConnectionError, requests.Timeout):  # a loaded machine may answer the first request slowly
            time.sleep(0.2)
    server.stop()
    raise RuntimeError("gunicorn did not start in 60 s")


def migrate_database(database_url, data_dir):
    """Apply the migrations to database_url: a new SQLite file is a copy of the database migrated once in this
    process (tests/harness/databases.py); any other database runs `flask db upgrade`."""
    from tests.harness import databases

    path = databases.sqlite_path(database_url)
    if path is not None and not path.exists():
        databases.copy_migrated(database_url)
        return
    env = {**os.environ, "SECRET_KEY": SECRET, "DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(data_dir)}
    bindir = Path(sys.executable).parent
    subprocess.run([str(bindir / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)


PASSWORD = "correct horse battery staple"


def create_user(server_or_env, email, *flags, password=PASSWORD):
    """Create a user through the `flask create-user` command against a server's databases.

    The command runs in this process on an app built from the server's environment: the same settings a
    `flask` subprocess reads, without its seconds of start-up.
    """
    from app import create_app
    from config import Config
    from extensions import db

    env = server_or_env.env if isinstance(server_or_env, LiveServer) else server_or_env
    app = create_app(Config(environ=env).as_dict())
    result = app.test_cli_runner().invoke(args=["create-user", email, *flags, "--password-stdin"],
                                          input=password + "\n")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 0, f"create-user {email} failed: {result.output}"
    return email


def login_session(server, email, password=PASSWORD):
    """Return a requests.Session logged in to server through the HTML login form."""
    session = requests.Session()
    page = session.get(f"{server.url}/login", timeout=10)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{server.url}/login",
        data={"email": email, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code in (302, 303), f"login failed: {response.status_code}"
    # Land on the next page as a browser does; it hands out the new session's CSRF cookie.
    session.get(urljoin(server.url + "/", response.headers["Location"]), timeout=10)
    return session


def browser_cookies(session, server):
    """Return a requests.Session's cookies in Playwright's add_cookies format."""
    return [
        {"name": c.name, "value": c.value, "domain": "127.0.0.1", "path": c.path or "/"}
        for c in session.cookies
    ]



def launch_chromium(playwright):
    """Return headless Debian Chromium launched through Playwright."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
