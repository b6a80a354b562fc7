"""Two app hosts on one PostgreSQL, one Redis and one Iceberg catalog act as one site."""
import uuid
from pathlib import Path

import pytest
import requests

from tests.auth import admin_ops
from tests.harness.dash_client import DashClient
from tests.conftest import RAW_ZIP, SECRET, create_user, login_session, migrate_database, start_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _flask(env, *args):
    """Run a flask CLI command in this process on an app built from env, failing the test on error."""
    from app import create_app
    from config import Config
    from extensions import db

    # The command a `flask` subprocess with env runs, without its seconds of start-up (setup, not what is tested).
    app = create_app(Config(environ=env).as_dict())
    result = app.test_cli_runner().invoke(args=list(args))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def hosts(tmp_path_factory, postgres_database, redis_url):
    """Start hosts A and B sharing users database, Redis and Iceberg catalog; each builds its own serving file."""
    tmp = tmp_path_factory.mktemp("two-hosts")
    shared = {
        "SECRET_KEY": SECRET,
        "DATABASE_URL": postgres_database(),
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": f"bf-test-{uuid.uuid4().hex[:8]}",
        "ICEBERG_CATALOG_URI": postgres_database(),
        "ICEBERG_WAREHOUSE": (tmp / "warehouse").as_uri(),
        "LOGIN_RATE_LIMIT": "5 per minute",
        "SIGNUP_RATE_LIMIT": "3 per hour",
    }
    env_a = {**shared, "BEANFLOWS_DATA_DIR": str(tmp / "host-a")}
    env_b = {**shared, "BEANFLOWS_DATA_DIR": str(tmp / "host-b")}
    import os

    _flask({**os.environ, **env_a}, "ingest", str(RAW_ZIP))
    _flask({**os.environ, **env_b}, "export")
    migrate_database(shared["DATABASE_URL"], tmp / "host-a")
    host_a, host_b = start_server(env_a), start_server(env_b)
    yield host_a, host_b
    host_a.stop()
    host_b.stop()


def test_each_host_serves_its_own_file_from_one_catalog(hosts):
    host_a, host_b = hosts
    health_a = requests.get(f"{host_a.url}/healthz", timeout=5).json()
    health_b = requests.get(f"{host_b.url}/healthz", timeout=5).json()
    assert health_a["status"] == health_b["status"] == "ok"
    assert health_a["snapshot_id"] == health_b["snapshot_id"]
    assert health_a["rows"] == 114304
    files = [Path(h.env["BEANFLOWS_DATA_DIR"]) / "serving.duckdb" for h in hosts]
    assert all(f.exists() for f in files) and files[0] != files[1]


def test_a_session_from_one_host_works_on_the_other(hosts):
    host_a, host_b = hosts
    email = create_user(host_a, "roaming@example.com")
    session = login_session(host_a, email)
    account = session.get(f"{host_b.url}/account", allow_redirects=False, timeout=5)
    assert account.status_code == 200
    assert email in account.text


def test_an_admin_toggle_on_one_host_ends_the_session_on_the_other(hosts):
    host_a, host_b = hosts
    email = create_user(host_a, "to-disable@example.com", "--comp")
    user_session = login_session(host_a, email)
    assert user_session.get(f"{host_a.url}/dashboards/production", allow_redirects=False, timeout=5).status_code == 200
    admin = login_session(host_b, create_user(host_b, "boss@example.com", "--admin"))
    dash = DashClient(admin, host_b.url)
    admin_ops.confirm_change(dash, admin_ops.user_id(dash, email), "active", False)
    for host in hosts:
        response = user_session.get(f"{host.url}/dashboards/production", allow_redirects=False, timeout=5)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_login_rate_limit_holds_across_hosts(hosts):
    email = create_user(hosts[0], "target@example.com")
    statuses = []
    for attempt in range(7):
        host = hosts[attempt % 2]
        session = requests.Session()
        page = session.get(f"{host.url}/login", timeout=5)
        token = page.text.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
        response = session.post(f"{host.url}/login", data={"email": email, "password": "wrong", "csrf_token": token},
                                allow_redirects=False, timeout=5)
        statuses.append(response.status_code)
    # Five failures in all are allowed; per-host memory limits would have allowed ten.
    assert statuses[:5] == [401] * 5, statuses
    assert statuses[5:] == [429, 429], statuses


def test_the_signup_rate_limit_holds_across_hosts(hosts):
    from tests.web.test_signup_limit import signup

    statuses = [signup(hosts[n % 2], f"signup{n}@example.com")[0] for n in range(5)]
    # Three accounts per address in all (on Redis); per-host counts would have allowed six.
    assert statuses == [303] * 3 + [429] * 2, statuses
