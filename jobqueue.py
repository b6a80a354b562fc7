"""The job queue on Redis (RQ): jobs that workers on any host run, or run here without REDIS_URL."""
import logging

from flask import current_app
from werkzeug.utils import import_string

log = logging.getLogger(__name__)

# The first try and three retries, in RQ and inline alike.
MAX_TRIES = 4


def queue():
    """Return the jobs queue on REDIS_URL, or None when no Redis is configured."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    # Imported here: a web worker without Redis never loads RQ and redis-py (7.5 MB).
    from redis import Redis
    from rq import Queue

    return Queue(current_app.config["ALERTS_QUEUE"], connection=Redis.from_url(url))


def enqueue(path, *args, tries=MAX_TRIES):
    """Queue the function at dotted path with retries and backoff; without Redis run it here and now."""
    jobs = queue()
    if jobs is None:
        return run_inline(path, *args, tries=tries)
    from rq import Retry

    retry = Retry(max=tries - 1, interval=current_app.config["ALERTS_RETRY_INTERVALS"]) if tries > 1 else None
    return jobs.enqueue(path, *args, retry=retry)


def run_inline(path, *args, tries=MAX_TRIES):
    """Run a job in this process, up to tries times; re-raise the last failure."""
    func = import_string(path)
    for attempt in range(1, tries + 1):
        try:
            return func(*args)
        except Exception:
            log.exception("job %s failed (try %d of %d)", path, attempt, tries)
            if attempt == tries:
                raise
    return None
