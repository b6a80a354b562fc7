"""Verify Stripe events, then handle each once, in any order."""
import logging
import time

from sqlalchemy.exc import IntegrityError

from billing import shapes, subscriptions, team_subscriptions
from billing.customers import lock_user
from models.accounts import AuditLog
from models.stripe_events import StripeEvent
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
TOLERANCE_SECONDS = 300  # stripe.Webhook.DEFAULT_TOLERANCE, as Stripe's own libraries check


class BadEvent(ValueError):
    """A delivery that is not a correctly signed, well-formed, current Stripe event."""


class BadShape(BadEvent):
    """A correctly signed event whose content has an unexpected shape: refused (400) and audited."""

    def __init__(self, reason, event=None):
        super().__init__(reason)
        self.event = event if isinstance(event, dict) else {}


def _signed_at(header):
    """Return the t= timestamp of a Stripe-Signature header, or None."""
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    return None


def _shape_error(event):
    """Return what is missing or misshapen in an event dict, or None when it is usable."""
    if not isinstance(event.get("id"), str) or not event["id"]:
        return "event has no id"
    if not isinstance(event.get("type"), str):
        return "event has no type"
    if not isinstance(event.get("created"), int) or isinstance(event.get("created"), bool):
        return "event has no created time"
    if not isinstance(event.get("data"), dict) or not isinstance(event["data"].get("object"), dict):
        return "event has no data object"
    return None


def verify(payload, header, secret):
    """Return the event (a plain dict) of a signed delivery; raise BadEvent with the reason otherwise."""
    import stripe  # here, not at the top: see billing.client.client()

    try:
        event = stripe.Webhook.construct_event(payload, header, secret, tolerance=TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError as exc:
        raise BadEvent(f"invalid signature: {exc}") from exc
    except ValueError as exc:
        raise BadEvent("invalid payload") from exc
    # The SDK only refuses old timestamps; a signature from the future is as suspect.
    if (_signed_at(header) or 0) > time.time() + TOLERANCE_SECONDS:
        raise BadEvent("signature timestamp is in the future")
    event = event.to_dict()
    reason = _shape_error(event) or _object_problem(event)
    if reason:
        raise BadShape(reason, event)
    return event


def _object_problem(event):
    """Return what is wrong with the shape of a handled event's object, or None (other types are not read)."""
    model = SHAPES.get(event["type"])
    return shapes.problem(model, event["data"]["object"]) if model else None


def refused(exc):
    """Record a signed event refused for its shape in the audit log (committed on its own)."""
    db.session.rollback()
    event = exc.event
    detail = f"stripe event {str(event.get('id'))[:80]} ({str(event.get('type'))[:60]}): {exc}"
    db.session.add(AuditLog(actor_id=None, target_id=None, action="billing.webhook_refused", detail=detail[:512]))
    db.session.commit()


def _invoice_subscription(invoice):
    """Return the subscription id an invoice bills (moved under parent in API 2025-03-31)."""
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return subscriptions.stripe_id(details.get("subscription") or invoice.get("subscription"))


def _sync(event, subscription_id, customer_id, user_id=None, payload=None, metadata=None):
    """Bring the owner's (a user's or a team's) stored state up to Stripe's current copy of a subscription."""
    if team_subscriptions.is_team(metadata) or team_subscriptions.team_for(subscription_id) is not None:
        return team_subscriptions.sync(event, subscription_id, metadata, payload)
    user = subscriptions.user_for(customer_id, user_id)
    if user is None:
        log.warning("stripe event %s: no user for customer %s", event["id"], customer_id)
        return "no user"
    user = lock_user(user.id)
    # Stripe's current copy wins over the event's snapshot, which may be old.
    current = subscriptions.current(subscription_id, payload)
    if current is None:
        return "no subscription"
    return subscriptions.apply(user, current, event["created"])


def _on_subscription(event):
    """Sync the subscription an event is about."""
    obj = event["data"]["object"]
    metadata = obj.get("metadata") or {}
    return _sync(event, obj["id"], subscriptions.stripe_id(obj.get("customer")), metadata.get("user_id"),
                 payload=obj, metadata=metadata)


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
        metadata=session.get("metadata"),
    )


def _on_invoice(event):
    """Sync the subscription a paid or failed invoice belongs to."""
    invoice = event["data"]["object"]
    subscription_id = _invoice_subscription(invoice)
    if not subscription_id:
        return "not a subscription"
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return _sync(event, subscription_id, subscriptions.stripe_id(invoice.get("customer")),
                 metadata=details.get("metadata"))


SHAPES = {**dict.fromkeys(SUBSCRIPTION_EVENTS, shapes.Subscription), **dict.fromkeys(INVOICE_EVENTS, shapes.Invoice),
          "checkout.session.completed": shapes.CheckoutSession}


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
    except BadShape as exc:
        exc.event = event
        raise
    except (TypeError, KeyError, AttributeError, IndexError, ValueError) as exc:
        # Whatever the shapes above let through that the handlers could not read: refused, never a 500.
        db.session.rollback()
        raise BadShape(f"unreadable {type(exc).__name__}: {exc}", event) from exc
    except Exception:
        db.session.rollback()
        raise
    return outcome
