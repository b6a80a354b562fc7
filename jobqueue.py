"""The job queue on Redis (RQ): jobs that workers on any host run, or run here without REDIS_URL.

A job is a module-level function, handed over as the function itself (RQ records where it lives).
"""
import logging
from typing import Any, Callable

from flask import current_app

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


def _name(func: Callable) -> str:
    """Return where a job function lives, 'module.name', as RQ records it."""
    return f"{func.__module__}.{func.__qualname__}"


def enqueue(func: Callable, *args: Any, tries: int = MAX_TRIES) -> Any:
    """Queue the module-level function func with retries and backoff; without Redis run it here and now."""
    if not callable(func) or "<" in func.__qualname__:  # a lambda or nested function: no worker could import it
        raise TypeError(f"a job is a module-level function, not {func!r}")
    jobs = queue()
    if jobs is None:
        return run_inline(func, *args, tries=tries)
    from rq import Retry

    retry = Retry(max=tries - 1, interval=current_app.config["ALERTS_RETRY_INTERVALS"]) if tries > 1 else None
    return jobs.enqueue(func, *args, retry=retry)


def run_inline(func: Callable, *args: Any, tries: int = MAX_TRIES) -> Any:
    """Run a job in this process, up to tries times; re-raise the last failure."""
    for attempt in range(1, tries + 1):
        try:
            return func(*args)
        except Exception:
            log.exception("job %s failed (try %d of %d)", _name(func), attempt, tries)
            if attempt == tries:
                raise
    return None
