"""Jobs are handed to the queue as functions, never as dotted strings; without Redis they run here, retried."""
import pytest
from flask import Flask

import jobqueue

CALLS = []


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
