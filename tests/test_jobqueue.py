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
