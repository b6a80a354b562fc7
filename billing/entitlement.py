"""Whether a user's stored subscription state grants subscriber access."""
from datetime import datetime, timedelta, timezone

from flask import current_app

GRANTING = {"active", "trialing"}


def _aware(moment):
    """Return moment as an aware UTC datetime (SQLite drops the zone)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def subscription_grants_access(user, now=None):
    """Return True when the Stripe state alone entitles the user."""
    status = user.subscription_status
    if status in GRANTING:
        return True
    if status == "past_due" and user.past_due_since is not None:
        now = now or datetime.now(timezone.utc)
        grace = timedelta(days=current_app.config.get("PAST_DUE_GRACE_DAYS", 7))
        return now < _aware(user.past_due_since) + grace
    return False


def is_subscriber(user):
    """Return True when the user may open every dashboard, the API and downloads."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_admin or user.access_granted or subscription_grants_access(user))
