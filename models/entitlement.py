"""What a live-user record entitles: subscriber access from the user's own state, an admin's grant, or a team.

The access policy (auth/access.py) asks is_subscriber() of the live-user record, which carries the team's
state (models/team_access.py), so nothing here queries the database for a request. A team's part is decided
in one place, team_grants_access(): a new team rule (seats, say) adds what it reads to team_access.TEAM_COLUMNS
and its condition there.
"""
from datetime import datetime, timedelta, timezone

from flask import current_app

# Stripe statuses that grant access; past_due grants for a grace period only.
GRANTING = {"active", "trialing"}
# Statuses that never grant: Stripe has given up, or the customer paused.
REVOKING = {"canceled", "unpaid", "incomplete", "incomplete_expired", "paused"}
# Statuses of a subscription that will never bill again; any other is live (it bills, or will once paid).
ENDED = {"canceled", "incomplete_expired"}


def aware(moment):
    """Return moment as an aware UTC datetime (SQLite drops the zone)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def _grace_end(status, past_due_since):
    """Return when a past_due subscription's grace period ends, or None when not past_due."""
    if status != "past_due" or past_due_since is None:
        return None
    return aware(past_due_since) + timedelta(days=current_app.config["PAST_DUE_GRACE_DAYS"])


def has_live_subscription(holder):
    """Return True when a user or team follows a Stripe subscription that has not ended (a second would bill twice)."""
    return bool(holder.stripe_subscription_id) and holder.subscription_status not in ENDED | {None}


def grace_ends_at(holder):
    """Return when a past_due user's (or team's) grace period ends, or None when not past_due."""
    return _grace_end(holder.subscription_status, holder.past_due_since)


def status_grants(status, past_due_since, now=None):
    """Return True when a Stripe status (past_due since a time) grants access now."""
    if status in GRANTING:
        return True
    ends = _grace_end(status, past_due_since)
    if ends is not None:
        return (now or datetime.now(timezone.utc)) < ends
    return False


def subscription_grants_access(holder, now=None):
    """Return True when the Stripe state alone entitles the user (or the team's members)."""
    return status_grants(holder.subscription_status, holder.past_due_since, now)


def over_seats_grace_end(over_seats_since):
    """Return when a team over its paid seats since over_seats_since stops giving every member access."""
    return aware(over_seats_since) + timedelta(days=current_app.config["TEAM_OVER_SEATS_GRACE_DAYS"])


def seat_lapsed(user, now=None):
    """Return True when the user's team has been over its paid seats past the grace period and the user is not
    among the members who keep one (the owner, admins, then by join date).

    """
    since, ahead = user.team_over_seats_since, user.team_seats_ahead
    if since is None or ahead is None or ahead < (user.team_seats or 0):
        return False
    return (now or datetime.now(timezone.utc)) >= over_seats_grace_end(since)


def team_grants_access(user, now=None):
    """Return True when the user's team gives access: granted by a site admin, or a granting subscription whose
    paid seats include the user.

    The one place team entitlement is computed, from the team fields of the live-user record.
    """
    from models.team_access import team_fields  # here: models.teams imports the accounts models

    user = team_fields(user)
    if user.team_id is None or user.team_access_ended:
        return False
    if user.team_access_granted:
        return True
    return status_grants(user.team_status, user.team_past_due_since, now) and not seat_lapsed(user, now)


def is_subscriber(user):
    """Return True when the user may open every dashboard, the API and downloads."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_admin or user.access_granted or subscription_grants_access(user)
                or team_grants_access(user))
