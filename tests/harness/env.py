"""Set up a served app for benchmarks: data, users database, subscriber login."""
import re
import uuid
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.harness.live import GRAINS_ZIP, RAW_ZIP, ROOT, create_user, login_session, migrate_database, start_server
from data import pipeline


def prepare_data(data_dir, table=None):
    """Load the real file (or demo data, or an Arrow table) into data_dir; return the source kind."""
    config = {"BEANFLOWS_DATA_DIR": str(data_dir)}
    if table is not None:
        pipeline.store(config, table, "synthetic 20x", "demo")
        return "synthetic 20x"
    if RAW_ZIP.exists():
        pipeline.ingest(config, str(RAW_ZIP))
        if not GRAINS_ZIP.exists():
            return f"real USDA data ({RAW_ZIP.name})"
        pipeline.ingest(config, str(GRAINS_ZIP))  # all ten commodities, as a site serving them holds
        return f"real USDA data ({RAW_ZIP.name} and {GRAINS_ZIP.name})"
    pipeline.ingest_demo(config)
    return "demo data (../shared/data not found)"


def serve(data_dir, workers=2, threads=4, extra_env=None):
    """Start gunicorn on data_dir with a fresh users database and a logged-in subscriber."""
    data_dir = Path(data_dir)
    database_url = f"sqlite:///{data_dir / f'users-{uuid.uuid4().hex[:8]}.db'}"
    migrate_database(database_url, data_dir)
    env = {"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(data_dir), **(extra_env or {})}
    server = start_server(env, workers=workers, threads=threads)
    try:
        session = login_session(server, create_user(server, "bench@example.com", "--comp"))
    except BaseException:
        server.stop()
        raise
    return server, session


def callback_headers(session):
    """Return the headers a browser sends with a Dash callback POST."""
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    # The browser that logged in: another User-Agent fails Flask-Login's session protection, which then
    # marks the session non-fresh and re-signs the cookie on every response (a cost no browser pays).
    # Like a browser, it takes compressed answers.
    return {"Content-Type": "application/json", "X-CSRFToken": session.cookies.get("_csrf_token", ""),
            "Cookie": cookies, "User-Agent": session.headers["User-Agent"], "Accept-Encoding": "gzip, deflate, br"}


def dashboard_paths(server, session):
    """Return the dashboard paths the navbar offers, plus one country page."""
    layout = session.get(f"{server.url}/_dash-layout", timeout=10).json()
    paths = {href for href in _hrefs(layout) if re.fullmatch(r"/dashboards/[a-z_-]+", href)}
    return sorted(paths) + ["/dashboards/country/BRA"]


def _hrefs(node):
    """Yield every href in a Dash layout JSON tree."""
    if isinstance(node, dict):
        if isinstance(node.get("href"), str):
            yield node["href"]
        for value in node.values():
            yield from _hrefs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _hrefs(value)


def run_export(server):
    """Run `flask export` with the server's environment (an atomic swap)."""
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "export"], cwd=ROOT,
                   env=server.env, check=True, capture_output=True)


def workdir():
    """Return a fresh temporary directory for one benchmark run."""
    return Path(tempfile.mkdtemp(prefix="beanflows-bench-"))
