"""Which stored subscription states grant subscriber access, and what the account panel says."""
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask

from models.accounts import User
from models.entitlement import grace_ends_at, is_subscriber, subscription_grants_access
from models.plan import subscription_summary

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def ctx():
    """Push an app context with a 3-day past_due grace period."""
    app = Flask(__name__)
    app.config["PAST_DUE_GRACE_DAYS"] = 3
    with app.app_context():
        yield app


def user(**fields):
    """Return an unsaved, logged-in-capable user with the given subscription fields."""
    defaults = {"email": "u@example.com", "role": "user", "active": True, "access_granted": False,
                "cancel_at_period_end": False}
    return User(**{**defaults, **fields})


@pytest.mark.parametrize(
    "status, grants",
    [("active", True), ("trialing", True), ("canceled", False), ("unpaid", False), ("incomplete", False),
     ("incomplete_expired", False), ("paused", False), (None, False), ("something_new", False)],
)
def test_status_grants(ctx, status, grants):
    assert subscription_grants_access(user(subscription_status=status), now=NOW) is grants


def test_past_due_grants_inside_the_grace_period_only(ctx):
    late = user(subscription_status="past_due", past_due_since=NOW - timedelta(days=2, hours=23))
    assert subscription_grants_access(late, now=NOW)
    assert grace_ends_at(late) == NOW + timedelta(hours=1)
    assert not subscription_grants_access(late, now=NOW + timedelta(hours=1))
    assert not subscription_grants_access(user(subscription_status="past_due", past_due_since=None), now=NOW)


def test_grace_period_comes_from_config(ctx):
    late = user(subscription_status="past_due", past_due_since=NOW - timedelta(days=5))
    assert not subscription_grants_access(late, now=NOW)
    ctx.config["PAST_DUE_GRACE_DAYS"] = 7
    assert subscription_grants_access(late, now=NOW)


def test_sqlite_naive_datetimes_are_utc(ctx):
    naive = (NOW - timedelta(days=1)).replace(tzinfo=None)
    assert subscription_grants_access(user(subscription_status="past_due", past_due_since=naive), now=NOW)


def test_admin_grant_is_separate_and_overrides(ctx):
    granted = user(subscription_status="canceled", access_granted=True)
    assert not subscription_grants_access(granted, now=NOW)
    assert is_subscriber(granted)
    assert is_subscriber(user(role="admin"))


def test_disabled_user_is_never_a_subscriber(ctx):
    assert not is_subscriber(user(subscription_status="active", active=False))
    assert not is_subscriber(user(access_granted=True, active=False))
    assert not is_subscriber(None)


def test_summary_dates(ctx):
    end = datetime(2026, 7, 1, tzinfo=timezone.utc)
    renewing = subscription_summary(user(subscription_status="active", subscription_plan="Analyst",
                                         current_period_end=end, stripe_subscription_id="sub_1"))
    assert (renewing["status_label"], renewing["date_label"], renewing["date_text"]) == ("Active", "Renews on", "01 Jul 2026")
    assert renewing["access_source"] == "subscription" and renewing["subscriber"]
    ending = subscription_summary(user(subscription_status="active", current_period_end=end, cancel_at_period_end=True))
    assert ending["date_label"] == "Ends on"
    ended = subscription_summary(user(subscription_status="canceled", current_period_end=end))
    assert (ended["date_label"], ended["subscriber"], ended["access_source"]) == ("Ended on", False, None)
    since = datetime(2026, 6, 10, tzinfo=timezone.utc)
    failing = subscription_summary(user(subscription_status="past_due", past_due_since=since, current_period_end=end))
    assert (failing["status_label"], failing["date_label"], failing["date"]) == ("Payment failed", "Access until", since + timedelta(days=3))
    free = subscription_summary(user())
    assert (free["status_label"], free["date_label"], free["access_source"]) == ("No subscription", None, None)
    comp = subscription_summary(user(access_granted=True))
    assert comp["access_source"] == "admin" and comp["subscriber"]
