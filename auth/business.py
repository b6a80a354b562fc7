"""The business figures of /admin/metrics, computed from users, webhook-recorded subscriptions and usage events."""
from datetime import timedelta

import pandas as pd
from sqlalchemy import select

from extensions import db
from models.accounts import User
from models.usage import API_CALL, DASHBOARD_OPENED, DOWNLOAD, FILTER_CHANGED, RequestTiming, UsageEvent

# Statuses that pay: they count in MRR. Trials count as active subscribers but bring no revenue yet.
PAYING = ("active", "past_due")
ACTIVE = ("active", "trialing", "past_due")
# A checkout that never completed is not a conversion.
NEVER_PAID = ("incomplete", "incomplete_expired")
# Months per Stripe billing interval, to bring every price to a monthly amount.
MONTHS = {"day": 12 / 365, "week": 12 / 52, "month": 1, "year": 12}
ACTIVATION_DAYS = 7
WEEKS, MONTHS_SHOWN = 12, 12
USED = (DASHBOARD_OPENED, FILTER_CHANGED, DOWNLOAD)


def _utc(series):
    """Return a column of datetimes as naive UTC (SQLite hands back naive, PostgreSQL aware values)."""
    series = pd.to_datetime(series, utc=True)
    return series.dt.tz_convert(None)


def _read(statement, times=("created_at",)):
    """Return the rows of a select as a frame, its time columns naive UTC."""
    with db.engine.connect() as connection:
        frame = pd.read_sql(statement, connection)
    for column in times:
        frame[column] = _utc(frame[column])
    return frame


def users():
    """Return every user with the subscription state the webhooks recorded."""
    return _read(select(User.id, User.created_at, User.subscription_status, User.subscription_plan,
                        User.subscription_unit_amount, User.subscription_currency, User.subscription_interval,
                        User.subscription_interval_count, User.subscription_quantity, User.subscription_started_at,
                        User.subscription_ended_at),
                 times=("created_at", "subscription_started_at", "subscription_ended_at"))


def events(since, kinds=None):
    """Return the usage events (of kinds, default all) since a time (naive UTC)."""
    statement = select(UsageEvent.user_id, UsageEvent.kind, UsageEvent.detail, UsageEvent.created_at).where(
        UsageEvent.created_at >= since.tz_localize("UTC"))
    if kinds:
        statement = statement.where(UsageEvent.kind.in_(kinds))
    return _read(statement)


def timings(since):
    """Return the request timings since a time (naive UTC)."""
    return _read(select(RequestTiming.created_at, RequestTiming.status, RequestTiming.duration_ms)
                 .where(RequestTiming.created_at >= since.tz_localize("UTC")))


def _week(times):
    """Return the Monday 00:00 starting each time's week."""
    return times.dt.normalize() - pd.to_timedelta(times.dt.day_of_week, unit="D")


def cohorts(people, opened, now, weeks=WEEKS):
    """Return per signup week: signups, activated (a dashboard within 7 days) and converted to paid, with rates."""
    first = _week(pd.Series([now])).iloc[0] - pd.Timedelta(weeks=weeks - 1)
    people = people[people["created_at"] >= first].assign(week=lambda f: _week(f["created_at"]))
    opened = opened[opened["kind"] == DASHBOARD_OPENED].merge(people[["id", "created_at"]], left_on="user_id",
                                                                right_on="id", suffixes=("", "_user"))
    soon = opened[(opened["created_at"] - opened["created_at_user"]) <= pd.Timedelta(days=ACTIVATION_DAYS)]
    people = people.assign(activated=people["id"].isin(soon["user_id"]),
                           converted=people["subscription_started_at"].notna()
                           & ~people["subscription_status"].isin(NEVER_PAID))
    table = people.groupby("week").agg(signups=("id", "size"), activated=("activated", "sum"),
                                       converted=("converted", "sum"))
    table = table.reindex(pd.date_range(first, periods=weeks, freq="7D"), fill_value=0).rename_axis("week")
    table["activation_pct"] = _pct(table["activated"], table["signups"])
    table["conversion_pct"] = _pct(table["converted"], table["signups"])
    return table.reset_index()


def _pct(part, whole, digits=1):
    """Return 100 * part / whole rounded to digits, NaN where whole is 0."""
    return (100 * part / whole.where(whole > 0)).round(digits)


def _monthly(people):
    """Return each subscription's monthly amount: unit price (major units) x quantity over its interval."""
    months = people["subscription_interval"].map(MONTHS) * people["subscription_interval_count"].fillna(1)
    return people["subscription_unit_amount"] / 100 * people["subscription_quantity"].fillna(1) / months


def plans(people):
    """Return per plan and currency: active subscribers, paying subscribers and MRR."""
    active = people[people["subscription_status"].isin(ACTIVE)]
    active = active.assign(paying=active["subscription_status"].isin(PAYING),
                           mrr=_monthly(active).where(active["subscription_status"].isin(PAYING), 0).fillna(0),
                           plan=active["subscription_plan"].fillna("(unknown)"),
                           currency=active["subscription_currency"].fillna("").str.upper())
    table = active.groupby(["plan", "currency"]).agg(subscribers=("id", "size"), paying=("paying", "sum"),
                                                     mrr=("mrr", "sum"))
    return table.reset_index().sort_values("mrr", ascending=False, ignore_index=True).round({"mrr": 2})


def churn(people, now, months=MONTHS_SHOWN):
    """Return per calendar month: subscriptions active at its start, ended within it, and the churn rate."""
    starts = pd.date_range(end=now.to_period("M").start_time, periods=months, freq="MS")
    began, ended = people["subscription_started_at"], people["subscription_ended_at"]
    rows = []
    for start in starts:
        end = start + pd.offsets.MonthBegin(1)
        active = (began < start) & (ended.isna() | (ended >= start))
        lost = active & (ended < end)
        rows.append({"month": start, "active_at_start": int(active.sum()), "churned": int(lost.sum())})
    table = pd.DataFrame(rows)
    table["churn_pct"] = _pct(table["churned"], table["active_at_start"])
    return table


def most_used(recent, kind, top=10):
    """Return the top details of one kind of usage event, with events and distinct users."""
    rows = recent[recent["kind"] == kind]
    table = rows.groupby("detail").agg(events=("user_id", "size"), users=("user_id", "nunique"))
    return table.sort_values(["events", "users"], ascending=False).head(top).reset_index()


def _days(now, days):
    """Return the last days calendar days up to now's, oldest first."""
    return pd.date_range(end=now.normalize(), periods=days, freq="D")


def api_calls(recent, now, days=30):
    """Return API calls and distinct clients (tokens or sessions) per day."""
    calls = recent[recent["kind"] == API_CALL].assign(day=lambda f: f["created_at"].dt.normalize())
    table = calls.groupby("day").agg(calls=("detail", "size"), clients=("detail", "nunique"))
    return table.reindex(_days(now, days), fill_value=0).rename_axis("day").reset_index()


def requests_per_day(answered, now, days=30):
    """Return per day: requests, p95 time in the app (ms), 5xx answers and the 5xx rate."""
    answered = answered.assign(day=answered["created_at"].dt.normalize(), error=answered["status"] >= 500)
    table = answered.groupby("day").agg(requests=("status", "size"), p95_ms=("duration_ms", _p95),
                                        errors_5xx=("error", "sum"))
    table = table.reindex(_days(now, days)).rename_axis("day")
    table[["requests", "errors_5xx"]] = table[["requests", "errors_5xx"]].fillna(0).astype(int)
    table["error_pct"] = _pct(table["errors_5xx"], table["requests"], digits=2).fillna(0)
    return table.reset_index().round({"p95_ms": 1, "error_pct": 2})


def _p95(durations):
    """Return the 95th percentile (linear interpolation, as pandas computes it)."""
    return durations.quantile(0.95)


def figures(now=None, days=30):
    """Return every figure of the page as named frames, as of now (naive UTC)."""
    now = pd.Timestamp(now) if now is not None else pd.Timestamp.now(tz="UTC").tz_convert(None)
    people = users()
    since = now.normalize() - timedelta(days=days - 1)
    recent = events(since)
    opened = events(_week(pd.Series([now])).iloc[0] - pd.Timedelta(weeks=WEEKS - 1), kinds=(DASHBOARD_OPENED,))
    return {
        "cohorts": cohorts(people, opened, now),
        "plans": plans(people),
        "churn": churn(people, now),
        **{f"top_{kind}": most_used(recent, kind) for kind in USED},
        "api_calls": api_calls(recent, now, days),
        "requests": requests_per_day(timings(since), now, days),
    }
