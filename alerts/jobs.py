"""Evaluation and delivery as RQ jobs on Redis (workers on any host), or inline without REDIS_URL."""
import logging

from alerts import deliveries
from alerts.evaluate import evaluate
from jobqueue import enqueue

log = logging.getLogger(__name__)


def evaluate_job(release_id=None):
    """Store a release's firings, queue one digest per user with new ones, and the release digest."""
    release_id, per_user = evaluate(release_id)
    queued = deliveries.create(release_id, per_user.keys(), "alerts") + deliveries.create_release_digests(release_id)
    for delivery_id in queued:
        enqueue(deliver_job, delivery_id)
    log.info("alerts evaluated for release %s: %d new firings for %d users, %d emails queued",
             release_id, sum(per_user.values()), len(per_user), len(queued))
    return {"release_id": release_id, "firings": sum(per_user.values()), "users": len(per_user), "emails": len(queued)}


def deliver_job(delivery_id):
    """Send one queued email once; a failed try is kept for the next one after its backoff (alerts/deliveries.py)."""
    return deliveries.deliver(delivery_id)


def after_release(summary):
    """Queue evaluation after a load that made a new release (the CLI's release hook)."""
    if not summary.get("new"):
        return None
    return enqueue(evaluate_job, summary["release_id"])
