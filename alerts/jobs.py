"""Evaluation and delivery as RQ jobs on Redis (workers on any host), or inline without REDIS_URL."""
import logging

from alerts import deliveries
from alerts.evaluate import evaluate
from jobqueue import enqueue

log = logging.getLogger(__name__)


def evaluate_job(release_id=None, commodity=None):
    """Store a commodity's release's firings, queue one digest per user with new ones, and the release digest."""
    declared, release_id, per_user = evaluate(release_id, commodity)
    queued = (deliveries.create(release_id, per_user.keys(), "alerts", declared.code)
              + deliveries.create_release_digests(release_id, declared.code))
    for delivery_id in queued:
        enqueue(deliver_job, delivery_id)
    log.info("alerts evaluated for %s release %s: %d new firings for %d users, %d emails queued",
             declared.slug, release_id, sum(per_user.values()), len(per_user), len(queued))
    return {"commodity": declared.slug, "release_id": release_id, "firings": sum(per_user.values()),
            "users": len(per_user), "emails": len(queued)}


def deliver_job(delivery_id):
    """Send one queued email once; a failed try is kept for the next one after its backoff (alerts/deliveries.py)."""
    return deliveries.deliver(delivery_id)


def after_release(summary):
    """Queue evaluation of a commodity's new release after a load (the CLI's release hook, once per commodity)."""
    if not summary.get("new"):
        return None
    return enqueue(evaluate_job, summary["release_id"], summary.get("commodity_code"))
