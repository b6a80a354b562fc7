"""The outbox: jobs Redis cannot take are kept in the users database and run (or queued) once, when due."""
import pytest

import jobqueue

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens there: Redis is down
RAN = []


def record(value):
    """A job: note that it ran with value."""
    RAN.append(value)


@pytest.fixture
def app(tmp_path):
    """Return an app with its own migrated users database and Redis unreachable."""
    from app import create_app
    from tests.conftest import base_config
    from tests.harness.databases import copy_migrated

    config = base_config(tmp_path, tmp_path / "data")
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    RAN.clear()
    return create_app({**config, "REDIS_URL": CLOSED})


def test_a_job_redis_cannot_take_is_kept_then_run_once(app):
    with app.app_context():
        kept = jobqueue.enqueue("tests.test_jobqueue.record", 7)
        assert isinstance(kept, jobqueue.Kept) and kept.id.startswith("outbox-") and jobqueue.waiting() == 1
        assert RAN == []
        with pytest.raises(Exception, match="Connection"):  # still down: the row stays
            jobqueue.flush()
        assert jobqueue.waiting() == 1
        app.config["REDIS_URL"] = None  # no queue: run_due runs it here
        assert jobqueue.run_due() == 1 and RAN == [7] and jobqueue.waiting() == 0
        assert jobqueue.run_due() == 0 and RAN == [7]


def test_a_retry_waits_for_its_time(app):
    app.config["REDIS_URL"] = None
    with app.app_context():
        jobqueue.retry_later("tests.test_jobqueue.record", 1, delay=0)  # at least a second, whatever is asked
        assert jobqueue.run_due() == 0 and RAN == [] and jobqueue.waiting() == 1


def database_gone():
    """A job: fail as a query does when the users database server went away."""
    import sqlalchemy as sa

    raise sa.exc.OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"),
                                  connection_invalidated=True)


@pytest.mark.redis
def test_a_job_out_of_tries_while_the_database_is_down_is_queued_again_for_later(app, redis_url):
    import signal
    import time
    import uuid

    from rq.registry import ScheduledJobRegistry

    app.config.update(REDIS_URL=redis_url, ALERTS_QUEUE=f"test-jobs-{uuid.uuid4().hex[:8]}")
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    with app.app_context():
        jobs = jobqueue.queue()
        try:
            jobqueue.enqueue("tests.test_jobqueue.database_gone", tries=1)
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
