"""Redis unreachable, in process: sign-in pages and health answer, /readyz says what runs degraded; the users
database unreachable is told apart from a bad query."""
import sqlite3

import sqlalchemy as sa

from config import Config
from tests.conftest import SECRET

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens there: Redis is down


def _app(tmp_path, data_dir, **environ):
    """Return an app built from environment settings as a host reads them, on a copy of the migrated database."""
    from app import create_app
    from tests.harness.databases import copy_migrated

    url = f"sqlite:///{tmp_path / 'users.db'}"
    copy_migrated(url)
    config = Config(environ={"SECRET_KEY": SECRET, "DATABASE_URL": url, "BEANFLOWS_DATA_DIR": str(data_dir),
                             **environ}).as_dict()
    return create_app({**config, "TESTING": True})


def test_with_redis_unreachable_pages_and_health_answer_and_readyz_names_what_is_degraded(tmp_path, demo_releases_dir):
    import jobqueue

    app = _app(tmp_path, demo_releases_dir, REDIS_URL=CLOSED)
    client = app.test_client()
    assert client.get("/login").status_code == 200  # its data banner reads the (cached) load record
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"
    with app.app_context():
        kept = jobqueue.enqueue(jobqueue.waiting)
        assert isinstance(kept, jobqueue.Kept) and jobqueue.waiting() == 1
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["status"] == "degraded" and body["checks"]["redis"] == "error: ConnectionError"
    assert body["degraded"] == {"cache": "off (Redis unreachable)",
                                "rate_limits": "per-process (shared store unreachable)",
                                "jobs": "1 kept in the users database until Redis takes them"}


def test_readyz_is_ready_and_says_nothing_degraded_without_redis(tmp_path, demo_releases_dir):
    body = _app(tmp_path, demo_releases_dir).test_client().get("/readyz").get_json()
    assert body["status"] == "ready" and "degraded" not in body and body["checks"]["redis"] == "not configured"


def _error(orig, invalidated=False):
    """Return SQLAlchemy's wrapper of a driver error, as a failed statement raises it."""
    return sa.exc.OperationalError("SELECT 1", {}, orig, connection_invalidated=invalidated)


def test_an_unreachable_database_is_told_apart_from_a_bad_query():
    from extensions import database_unreachable as unavailable

    assert unavailable(_error(sqlite3.OperationalError("database is locked")))
    assert unavailable(_error(sqlite3.OperationalError("unable to open database file")))
    assert unavailable(_error(sqlite3.OperationalError("whatever"), invalidated=True))
    assert unavailable(sa.exc.TimeoutError("QueuePool limit reached"))
    assert not unavailable(_error(sqlite3.OperationalError("no such table: users")))
    assert not unavailable(sa.exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")))
    assert not unavailable(ValueError("not a database error"))


def test_a_login_the_server_could_not_judge_does_not_count_as_a_failed_one():
    from flask import Response

    from auth.views import _failed

    # A 503 while the users database is away must not spend the failed-login allowance of an hour.
    assert not _failed(Response(status=503)) and not _failed(Response(status=303))
    assert _failed(Response(status=200)) and _failed(Response(status=400))
