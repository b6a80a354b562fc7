"""Evaluation and delivery as RQ jobs on Redis (workers on any host), or inline without REDIS_URL."""
import logging

from flask import current_app
from redis import Redis
from rq import Queue, Retry
from werkzeug.utils import import_string

from alerts import deliveries
from alerts.evaluate import evaluate

log = logging.getLogger(__name__)

# The first try and three retries, in RQ and inline alike.
MAX_TRIES = deliveries.MAX_TRIES


def queue():
    """Return the alerts queue on REDIS_URL, or None when no Redis is configured."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    return Queue(current_app.config["ALERTS_QUEUE"], connection=Redis.from_url(url))


def enqueue(path, *args):
    """Queue the job at dotted path with retries and backoff; without Redis run it here and now."""
    jobs = queue()
    if jobs is None:
        return run_inline(path, *args)
    return jobs.enqueue(path, *args, retry=Retry(max=MAX_TRIES - 1, interval=current_app.config["ALERTS_RETRY_INTERVALS"]))


def run_inline(path, *args):
    """Run a job in this process, trying it up to MAX_TRIES times; re-raise the last failure."""
    func = import_string(path)
    for attempt in range(1, MAX_TRIES + 1):
        try:
            return func(*args)
        except Exception:
            log.exception("job %s%r failed (try %d of %d)", path, args, attempt, MAX_TRIES)
            if attempt == MAX_TRIES:
                raise
    return None


def evaluate_job(release_id=None):
    """Store a release's firings, queue one digest per user with new ones, and the release digest."""
    release_id, per_user = evaluate(release_id)
    queued = deliveries.create(release_id, per_user.keys(), "alerts") + deliveries.create_release_digests(release_id)
    for delivery_id in queued:
        enqueue("alerts.jobs.deliver_job", delivery_id)
    log.info("alerts evaluated for release %s: %d new firings for %d users, %d emails queued",
             release_id, sum(per_user.values()), len(per_user), len(queued))
    return {"release_id": release_id, "firings": sum(per_user.values()), "users": len(per_user), "emails": len(queued)}


def deliver_job(delivery_id):
    """Send one queued email; record the try, and raise on failure so the queue retries it."""
    return deliveries.deliver(delivery_id)


def after_release(summary):
    """Queue evaluation after a load that made a new release (the CLI's release hook)."""
    if not summary.get("new"):
        return None
    return enqueue("alerts.jobs.evaluate_job", summary["release_id"])
