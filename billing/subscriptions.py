"""Store a Stripe subscription's state on its user or team, never an older one over a newer."""
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import select

from models.accounts import User, utcnow
from billing.client import api_configured, client
from models.entitlement import GRANTING
from models.teams import Team
from extensions import db


def _timestamp(value):
    """Return a Stripe epoch-seconds value as an aware datetime, or None."""
    return datetime.fromtimestamp(int(value), timezone.utc) if value else None


def stripe_id(value):
    """Return the id of an expandable Stripe field (a string or an object)."""
    if isinstance(value, dict):
        return value.get("id")
    return value


def _first_item(subscription):
    """Return the subscription's first item as a dict, or an empty dict."""
    items = (subscription.get("items") or {}).get("data") or []
    return items[0] if items else {}


def period_end(subscription):
    """Return the end of the current period (on the item since API 2025-03-31)."""
    return subscription.get("current_period_end") or _first_item(subscription).get("current_period_end")


def plan_name(subscription):
    """Return a display name for the subscription's price."""
    price = _first_item(subscription).get("price") or {}
    if price.get("id") and price.get("id") == current_app.config.get("STRIPE_PRICE_ID"):
        return current_app.config["PLAN"]["name"]
    return price.get("nickname") or price.get("id")


def quantity(subscription):
    """Return the subscription's quantity (its first item's: seats on the Team plan)."""
    return _first_item(subscription).get("quantity") or subscription.get("quantity") or 1


def _price(subscription, user):
    """Store what the subscription costs (first item's price x quantity) and when it started and ended."""
    item = _first_item(subscription)
    price = item.get("price") or {}
    recurring = price.get("recurring") or {}
    user.subscription_price_id = price.get("id")
    user.subscription_unit_amount = price.get("unit_amount")
    user.subscription_currency = price.get("currency")
    user.subscription_interval = recurring.get("interval")
    user.subscription_interval_count = recurring.get("interval_count") or 1
    if isinstance(user, Team):
        user.seats = quantity(subscription)
    else:
        user.subscription_quantity = quantity(subscription)
    user.subscription_started_at = _timestamp(subscription.get("start_date") or subscription.get("created"))
    user.subscription_ended_at = _timestamp(subscription.get("ended_at"))


def user_for(customer_id=None, user_id=None):
    """Return the user owning a Stripe customer, else the user with user_id."""
    if customer_id:
        user = db.session.execute(
            select(User).where(User.stripe_customer_id == customer_id)
        ).scalar_one_or_none()
        if user is not None:
            return user
    if user_id and str(user_id).isdigit():
        user = db.session.get(User, int(user_id))
        # Never move a subscription onto a user who already has another customer.
        if user is not None and (user.stripe_customer_id in (None, customer_id)):
            return user
    return None


def fetch(subscription_id):
    """Return Stripe's current copy of a subscription as a dict, None if Stripe has none."""
    import stripe  # here, not at the top: see billing.client.client()

    if not api_configured():
        return None
    try:
        return client().v1.subscriptions.retrieve(subscription_id).to_dict()
    except stripe.InvalidRequestError as exc:
        if exc.code == "resource_missing":
            return None
        raise


def current(subscription_id, payload=None):
    """Return Stripe's current copy of a subscription (else the event's own), refused unless it has the expected shape."""
    from billing.shapes import Subscription, check

    found = fetch(subscription_id) or payload
    return None if found is None else check(Subscription, found, f"subscription {subscription_id}")


def apply(user, subscription, as_of):
    """Store subscription on user (a User, or a Team) unless a newer event already set the state.

    as_of is the Stripe `created` time of the event that led here; the stored
    subscription_updated_at only moves forward. Returns what happened.
    """
    if user.subscription_updated_at is not None and as_of < user.subscription_updated_at:
        return "stale"
    status = subscription.get("status")
    if (
        user.stripe_subscription_id
        and user.stripe_subscription_id != subscription.get("id")
        and user.subscription_status in GRANTING
        and status not in GRANTING
    ):
        # A second, dead subscription must not hide the live one.
        return "ignored"
    if status == "past_due":
        if user.subscription_status != "past_due" or user.past_due_since is None:
            user.past_due_since = _timestamp(as_of) or utcnow()
    else:
        user.past_due_since = None
    customer_id = stripe_id(subscription.get("customer"))
    if customer_id and user.stripe_customer_id is None:
        user.stripe_customer_id = customer_id
    user.stripe_subscription_id = subscription.get("id")
    user.subscription_status = status
    if not isinstance(user, Team):
        user.subscription_plan = plan_name(subscription)
    _price(subscription, user)
    if status in {"canceled", "incomplete_expired"}:
        user.current_period_end = _timestamp(subscription.get("ended_at") or period_end(subscription))
    else:
        user.current_period_end = _timestamp(period_end(subscription))
    user.cancel_at_period_end = bool(subscription.get("cancel_at_period_end") or subscription.get("cancel_at"))
    user.subscription_updated_at = max(as_of, user.subscription_updated_at or 0)
    return "applied"
