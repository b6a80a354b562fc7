"""Handle verified Stripe events once each, in any order."""
import logging

from sqlalchemy.exc import IntegrityError

from billing import subscriptions
from billing.customers import lock_user
from billing.models import StripeEvent
from extensions import db

log = logging.getLogger(__name__)

SUBSCRIPTION_EVENTS = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
}
INVOICE_EVENTS = {"invoice.paid", "invoice.payment_failed"}


def _invoice_subscription(invoice):
    """Return the subscription id an invoice bills (moved under parent in API 2025-03-31)."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return subscriptions.stripe_id(details.get("subscription") or invoice.get("subscription"))


def _sync(event, subscription_id, customer_id, user_id=None, payload=None):
    """Bring the owner's stored state up to Stripe's current copy of a subscription."""
    user = subscriptions.user_for(customer_id, user_id)
    if user is None:
        log.warning("stripe event %s: no user for customer %s", event["id"], customer_id)
        return "no user"
    user = lock_user(user.id)
    # Stripe's current copy wins over the event's snapshot, which may be old.
    current = subscriptions.fetch(subscription_id) or payload
    if current is None:
        return "no subscription"
    return subscriptions.apply(user, current, event["created"])


def _on_subscription(event):
    """Sync the subscription an event is about."""
    obj = event["data"]["object"]
    user_id = (obj.get("metadata") or {}).get("user_id")
    return _sync(event, obj["id"], subscriptions.stripe_id(obj.get("customer")), user_id, payload=obj)


def _on_checkout_completed(event):
    """Sync the subscription a completed Checkout Session started."""
    session = event["data"]["object"]
    if session.get("mode") != "subscription" or not session.get("subscription"):
        return "not a subscription"
    return _sync(
        event,
        subscriptions.stripe_id(session["subscription"]),
        subscriptions.stripe_id(session.get("customer")),
        session.get("client_reference_id"),
    )


def _on_invoice(event):
    """Sync the subscription a paid or failed invoice belongs to."""
    invoice = event["data"]["object"]
    subscription_id = _invoice_subscription(invoice)
    if not subscription_id:
        return "not a subscription"
    return _sync(event, subscription_id, subscriptions.stripe_id(invoice.get("customer")))


def _handler(event_type):
    """Return the function for an event type, or None to acknowledge and ignore it."""
    if event_type in SUBSCRIPTION_EVENTS:
        return _on_subscription
    if event_type in INVOICE_EVENTS:
        return _on_invoice
    if event_type == "checkout.session.completed":
        return _on_checkout_completed
    return None


def handle(event):
    """Apply a verified event (a plain dict) once and return what happened."""
    if db.session.get(StripeEvent, event["id"]) is not None:
        return "duplicate"
    handler = _handler(event["type"])
    try:
        outcome = handler(event) if handler else "ignored"
        db.session.add(StripeEvent(id=event["id"], type=event["type"], created=event["created"]))
        db.session.commit()
    except IntegrityError:
        # The same event was delivered twice at once and the other copy won.
        db.session.rollback()
        return "duplicate"
    except Exception:
        db.session.rollback()
        raise
    return outcome
