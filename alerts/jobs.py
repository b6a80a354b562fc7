"""Evaluation and delivery as RQ jobs on Redis (workers on any host), or inline without REDIS_URL."""
import logging

from alerts import deliveries
from alerts.evaluate import evaluate
from alerts.price_evaluate import evaluate_prices
from data.commodities.site import default
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


def evaluate_prices_job(edition=None):
    """Store a Pink Sheet edition's price firings and queue one digest per user with new ones (across commodities)."""
    edition, per_user = evaluate_prices(edition)
    # One email per user and edition whatever the commodities: filed, as a row naming none, under the site's first.
    queued = deliveries.create(edition, per_user.keys(), "prices", default().code)
    for delivery_id in queued:
        enqueue(deliver_job, delivery_id)
    log.info("price alerts evaluated for Pink Sheet edition %s: %d new firings for %d users, %d emails queued",
             edition, sum(per_user.values()), len(per_user), len(queued))
    return {"commodity": "prices", "edition": edition, "release_id": edition, "firings": sum(per_user.values()), "users": len(per_user),
            "emails": len(queued)}


def deliver_job(delivery_id):
    """Send one queued email once; a failed try is kept for the next one after its backoff (alerts/deliveries.py)."""
    return deliveries.deliver(delivery_id)


def after_release(summary):
    """Queue evaluation of a commodity's new release after a load (the CLI's release hook, once per commodity)."""
    if not summary.get("new"):
        return None
    return enqueue(evaluate_job, summary["release_id"], summary.get("commodity_code"))


def after_prices(summary):
    """Queue evaluation of the price rules after a new Pink Sheet edition is loaded and served."""
    if not summary.get("new") or not summary.get("serving"):
        return None
    return enqueue(evaluate_prices_job, summary["release_id"])
