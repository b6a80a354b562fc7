"""Whether a user's stored subscription state grants subscriber access."""
from datetime import datetime, timedelta, timezone

from flask import current_app

# Stripe statuses that grant access; past_due grants for a grace period only.
GRANTING = {"active", "trialing"}
# Statuses that never grant: Stripe has given up, or the customer paused.
REVOKING = {"canceled", "unpaid", "incomplete", "incomplete_expired", "paused"}


def aware(moment):
    """Return moment as an aware UTC datetime (SQLite drops the zone)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def grace_ends_at(user):
    """Return when a past_due user's grace period ends, or None when not past_due."""
    if user.subscription_status != "past_due" or user.past_due_since is None:
        return None
    return aware(user.past_due_since) + timedelta(days=current_app.config["PAST_DUE_GRACE_DAYS"])


def subscription_grants_access(user, now=None):
    """Return True when the Stripe state alone entitles the user."""
    status = user.subscription_status
    if status in GRANTING:
        return True
    ends = grace_ends_at(user)
    if ends is not None:
        return (now or datetime.now(timezone.utc)) < ends
    return False


def is_subscriber(user):
    """Return True when the user may open every dashboard, the API and downloads."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_admin or user.access_granted or subscription_grants_access(user))
