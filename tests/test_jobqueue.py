"""Jobs are handed to the queue as functions, never as dotted strings; without Redis they run here, retried;
jobs Redis cannot take are kept in the users database (the outbox) and run (or queued) once, when due."""
import pytest
from flask import Flask

import jobqueue

CALLS = []
CLOSED = "redis://127.0.0.1:1/0"  # nothing listens there: Redis is down
RAN = []


def flaky(value):
    """Fail on the first call, then return value (a module-level job)."""
    CALLS.append(value)
    if len(CALLS) == 1:
        raise RuntimeError("first try fails")
    return value


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config.update(REDIS_URL=None, ALERTS_QUEUE="test", ALERTS_RETRY_INTERVALS=[1])
    with app.app_context():
        yield app


def test_a_job_runs_inline_without_redis_and_is_retried(app):
    CALLS.clear()
    assert jobqueue.enqueue(flaky, 7) == 7 and CALLS == [7, 7]


@pytest.mark.parametrize("job", ["tests.test_jobqueue.flaky", lambda: None])
def test_only_module_level_functions_are_jobs(app, job):
    with pytest.raises(TypeError, match="module-level function"):
        jobqueue.enqueue(job)


def test_no_job_is_named_by_a_dotted_string_anywhere():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    named = [f"{p.relative_to(root)}: {m}" for p in sorted(root.glob("*/*.py")) if not p.parts[-2].startswith(".")
             and p.parts[-2] not in ("tests", "bench")
             for m in re.findall(r"enqueue\(\s*[\"'][^\"']+[\"']", p.read_text())]
    assert named == []



def record(value):
    """A job: note that it ran with value."""
    RAN.append(value)


@pytest.fixture
def users_app(tmp_path):
    """Return an app with its own migrated users database and Redis unreachable."""
    from app import create_app
    from tests.conftest import base_config
    from tests.harness.databases import copy_migrated

    config = base_config(tmp_path, tmp_path / "data")
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    RAN.clear()
    return create_app({**config, "REDIS_URL": CLOSED})


def test_a_job_redis_cannot_take_is_kept_then_run_once(users_app):
    with users_app.app_context():
        kept = jobqueue.enqueue(record, 7)
        assert isinstance(kept, jobqueue.Kept) and kept.id.startswith("outbox-") and jobqueue.waiting() == 1
        assert RAN == []
        with pytest.raises(Exception, match="Connection"):  # still down: the row stays
            jobqueue.flush()
        assert jobqueue.waiting() == 1
        users_app.config["REDIS_URL"] = None  # no queue: run_due runs it here
        assert jobqueue.run_due() == 1 and RAN == [7] and jobqueue.waiting() == 0
        assert jobqueue.run_due() == 0 and RAN == [7]


def test_a_retry_waits_for_its_time(users_app):
    users_app.config["REDIS_URL"] = None
    with users_app.app_context():
        jobqueue.retry_later(record, 1, delay=0)  # at least a second, whatever is asked
        assert jobqueue.run_due() == 0 and RAN == [] and jobqueue.waiting() == 1


def database_gone():
    """A job: fail as a query does when the users database server went away."""
    import sqlalchemy as sa

    raise sa.exc.OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"),
                                  connection_invalidated=True)


@pytest.mark.redis
def test_a_job_out_of_tries_while_the_database_is_down_is_queued_again_for_later(users_app, redis_url):
    import signal
    import time
    import uuid

    from rq.registry import ScheduledJobRegistry

    users_app.config.update(REDIS_URL=redis_url, ALERTS_QUEUE=f"test-jobs-{uuid.uuid4().hex[:8]}")
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    with users_app.app_context():
        jobs = jobqueue.queue()
        try:
            jobqueue.enqueue(database_gone, tries=1)
            before = time.time()
            jobqueue.work(burst=True)
            after = time.time()
            scheduled = ScheduledJobRegistry(queue=jobs)
            [again] = [jobs.fetch_job(job_id) for job_id in scheduled.get_job_ids()]
            assert again.func_name == "tests.test_jobqueue.database_gone"
            when = scheduled.get_scheduled_time(again).timestamp()
            assert before + jobqueue.DATABASE_RETRY_SECONDS - 1 <= when <= after + jobqueue.DATABASE_RETRY_SECONDS
        finally:
            jobs.empty()
            for job_id in ScheduledJobRegistry(queue=jobs).get_job_ids():
                jobs.fetch_job(job_id).delete()
            for sig, handler in handlers.items():
                signal.signal(sig, handler)


@pytest.mark.redis
def test_the_worker_stops_listening_for_commands_within_a_poll(redis_url):
    import time
    import uuid

    from redis import Redis
    from rq import Queue

    from tests.harness.gate import wait_until

    connection = Redis.from_url(redis_url)
    worker = jobqueue.worker_class()([Queue(f"test-jobs-{uuid.uuid4().hex[:8]}", connection=connection)],
                                     connection=connection)
    worker.subscribe()
    wait_until(lambda: worker.pubsub.subscribed, timeout=10)
    # The listening thread reads the unsubscribe first and waits to be subscribed again: the race RQ's own
    # teardown loses now and then, there waiting out RQ's 60 s poll.
    worker.pubsub.unsubscribe()
    wait_until(lambda: not worker.pubsub.subscribed, timeout=10)
    time.sleep(0.2)
    started = time.monotonic()
    worker.unsubscribe()
    assert time.monotonic() - started < jobqueue.COMMANDS_SECONDS + 5
    assert not worker.pubsub_thread.is_alive()


def test_rq_is_pinned_exactly_and_has_what_the_listener_override_uses():
    import importlib.metadata
    import inspect
    import re
    from pathlib import Path

    from rq import SimpleWorker

    pin = re.search(r'"rq==([0-9.]+)"', (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert pin and pin.group(1) == importlib.metadata.version("rq")
    # jobqueue.worker_class().subscribe stands in for RQ's: same names, same thread handed to unsubscribe().
    for name in ("subscribe", "unsubscribe", "handle_payload", "_pubsub_exception_handler"):
        assert callable(getattr(SimpleWorker, name)), name
    source = inspect.getsource(SimpleWorker.subscribe) + inspect.getsource(SimpleWorker.unsubscribe)
    for used in ("pubsub_channel_name", "self.pubsub_thread", "run_in_thread("):
        assert used in source, used
