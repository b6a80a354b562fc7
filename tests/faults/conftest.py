"""The drills' host: gunicorn on the real data, its users database on PostgreSQL and its Redis, each behind a gate.

One host per test process (session scope): every drill shuts a gate and opens it again (an autouse fixture
reopens anything a failed drill left shut), so the next drill finds the host whole.
"""
import subprocess
import sys
import uuid
from dataclasses import dataclass, field

import pytest

from tests.conftest import ROOT, start_server
from tests.harness.gate import Gate
from tests.web.conftest import Mailbox, running_smtp, smtp  # noqa: F401  (the aiosmtpd fixture)

WEBHOOK_SECRET = "whsec_faults"
LOGIN_LIMIT = 5  # LOGIN_RATE_LIMIT per minute on the host: per process while Redis is down


@dataclass
class FaultHost:
    """A served host and the gates in front of its users database and Redis."""

    server: object
    redis: Gate
    postgres: Gate
    database_url: str  # straight to PostgreSQL, not through the gate: what the drills check with
    env: dict = field(default_factory=dict)

    @property
    def url(self):
        """Return the host's base URL."""
        return self.server.url


def gated(url, gate, default_port):
    """Return url with its port replaced by the gate's."""
    return url.replace(f"127.0.0.1:{default_port}", f"127.0.0.1:{gate.port}", 1)


def _open_gate(port):
    """Yield an open gate to port, shut after."""
    gate = Gate.opened(port)
    yield gate
    gate.shut()


@pytest.fixture(scope="session")
def redis_gate(redis_url):
    """Return a gate in front of the local Redis, open."""
    yield from _open_gate(6379)


@pytest.fixture(scope="session")
def postgres_gate(postgres_database):
    """Return a gate in front of the local PostgreSQL, open."""
    yield from _open_gate(5432)


@pytest.fixture(scope="session")
def fault_server(tmp_path_factory, real_data_dir, postgres_database, redis_url, redis_gate, postgres_gate):
    """Return a FaultHost: two gunicorn workers on the real data, users database and Redis through their gates."""
    from tests.harness.databases import migrate

    direct = postgres_database()
    migrate(direct, real_data_dir)
    prefix = f"bf-faults-{uuid.uuid4().hex[:8]}"
    env = {"DATABASE_URL": gated(direct, postgres_gate, 5432), "BEANFLOWS_DATA_DIR": str(real_data_dir),
           "REDIS_URL": gated(redis_url, redis_gate, 6379), "REDIS_KEY_PREFIX": prefix, "ALERTS_QUEUE": prefix,
           "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute"}
    server = start_server(env, workers=2)
    host = FaultHost(server, redis_gate, postgres_gate, direct, dict(server.env))  # what an operator's shell holds
    yield host
    server.stop()


@pytest.fixture(autouse=True)
def gates_open_after(request):
    """Open any gate a drill left shut (a failed assertion inside `gate.down()` already does)."""
    yield
    for name in ("redis_gate", "postgres_gate"):
        if name in request.fixturenames:
            gate = request.getfixturevalue(name)
            if not gate.is_open:
                gate.open()


def flask_cli(env, *args, timeout=120):
    """Run `flask --app app ARGS` with env as a host's operator would; return the finished process."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def host_app(env):
    """Return the app a host's environment builds (for set-up and checks in this process)."""
    from app import create_app
    from config import Config

    return create_app(Config(environ=env).as_dict())


def log_lines(server):
    """Return the host's gunicorn log (stderr: the app's JSON lines) so far."""
    return server.log.read_text(errors="replace")


def worker_pids(server):
    """Return the pids of the gunicorn master's children (its workers, and a follower if any)."""
    path = f"/proc/{server.proc.pid}/task/{server.proc.pid}/children"
    with open(path) as children:
        return sorted(int(pid) for pid in children.read().split())
