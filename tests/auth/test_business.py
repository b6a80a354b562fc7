"""/admin/metrics figures, each checked against an independent pandas computation over seeded data; admins only."""
import io
import random
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from tests.conftest import base_config

NOW = datetime(2026, 6, 17, 12, 0, tzinfo=timezone.utc)  # a Wednesday
PRICES = {"Analyst": (4900, "month", 1), "Analyst yearly": (49000, "year", 1), "Team": (1500, "month", None)}
STATUSES = ("active", "active", "trialing", "past_due", "canceled", "incomplete")


def seed_rows(rng):
    """Return (users, events, timings) as plain dicts: the one source both the app and the test read."""
    users, events, timings = [], [], []
    for n in range(1, 81):
        created = NOW - timedelta(days=rng.uniform(0, 130))
        user = {"id": n, "email": f"u{n}@example.com", "created_at": created}
        if rng.random() < 0.45 and created < NOW - timedelta(days=2):
            plan = rng.choice(list(PRICES))
            amount, interval, quantity = PRICES[plan]
            started = created + timedelta(days=rng.uniform(0, 2))
            status = rng.choice(STATUSES)
            ended = started + timedelta(days=rng.uniform(1, 200)) if status == "canceled" else None
            user.update(subscription_status=status, subscription_plan=plan, subscription_unit_amount=amount,
                        subscription_currency="usd", subscription_interval=interval, subscription_interval_count=1,
                        subscription_quantity=quantity or rng.randint(3, 9), subscription_started_at=started,
                        subscription_ended_at=min(ended, NOW - timedelta(hours=1)) if ended else None)
        users.append(user)
        for _ in range(rng.randint(0, 3)):
            events.append({"user_id": n, "kind": "dashboard_opened", "created_at": created + timedelta(days=rng.uniform(0, 12)),
                           "detail": rng.choice(["/dashboards/overview", "/dashboards/trade", "/dashboards/supply"])})
    for _ in range(400):
        when = NOW - timedelta(days=rng.uniform(0, 40))
        user_id = rng.randint(1, 80)
        kind = rng.choice(["filter_changed", "download", "api_call"])
        detail = {"filter_changed": rng.choice(["trade.countries", "trade.years", "supply.metric"]),
                  "download": rng.choice(["trade-flows.csv", "supply-stocks.xlsx"]),
                  "api_call": rng.choice(["token:1", "token:2", "session"])}[kind]
        events.append({"user_id": user_id, "kind": kind, "detail": detail, "created_at": when})
    for _ in range(3000):
        timings.append({"created_at": NOW - timedelta(days=rng.uniform(0, 35)), "route": "/healthz",
                        "status": rng.choice([200] * 30 + [404, 500, 503]), "duration_ms": rng.lognormvariate(2, 1)})
    return users, [e for e in events if e["created_at"] <= NOW], timings


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, real_data_dir):
    """Return (app, users, events, timings) with the rows written to a fresh users database."""
    from flask_migrate import upgrade

    from app import create_app
    from extensions import db
    from models.accounts import User
    from models.usage import RequestTiming, UsageEvent

    app = create_app(base_config(tmp_path_factory.mktemp("business"), real_data_dir))
    users, events, timings = seed_rows(random.Random(25))
    with app.app_context():
        upgrade()
        db.session.add_all(User(password_hash="!", **u) for u in users)
        db.session.flush()
        db.session.add_all([UsageEvent(**e) for e in events] + [RequestTiming(**t) for t in timings])
        db.session.commit()
    return app, pd.DataFrame(users), pd.DataFrame(events), pd.DataFrame(timings)


@pytest.fixture(scope="module")
def figures(seeded):
    from auth import business

    with seeded[0].app_context():
        return business.figures(pd.Timestamp(NOW).tz_convert(None))


def naive(column):
    return pd.to_datetime(column, utc=True).dt.tz_convert(None)


def test_signups_activation_and_conversion_per_week(seeded, figures):
    _, users, events, _ = seeded
    users = users.assign(created_at=naive(users["created_at"]))
    opened = events[events["kind"] == "dashboard_opened"].assign(created_at=lambda f: naive(f["created_at"]))
    monday = pd.Timestamp(NOW).tz_convert(None).normalize() - pd.Timedelta(days=NOW.weekday())
    expected = []
    for k in range(11, -1, -1):
        start = monday - pd.Timedelta(weeks=k)
        cohort = users[(users["created_at"] >= start) & (users["created_at"] < start + pd.Timedelta(days=7))]
        activated = sum(any((e - c) <= pd.Timedelta(days=7) for e in opened.loc[opened["user_id"] == i, "created_at"])
                        for i, c in zip(cohort["id"], cohort["created_at"]))
        converted = int((cohort["subscription_started_at"].notna()
                         & (cohort["subscription_status"] != "incomplete")).sum())
        expected.append((start, len(cohort), activated, converted))
    got = figures["cohorts"]
    assert list(zip(got["week"], got["signups"], got["activated"], got["converted"])) == expected
    assert sum(e[1] for e in expected) > 20  # the seed puts signups in most weeks
    for (_, signups, activated, converted), pct, paid in zip(expected, got["activation_pct"], got["conversion_pct"]):
        assert (pct, paid) == ((round(100 * activated / signups, 1), round(100 * converted / signups, 1))
                               if signups else (pytest.approx(np.nan, nan_ok=True),) * 2)


def test_subscribers_and_mrr_by_plan(seeded, figures):
    users = seeded[1]
    subscribers = users[users["subscription_status"].isin(["active", "trialing", "past_due"])]
    paying = subscribers[subscribers["subscription_status"].isin(["active", "past_due"])]
    monthly = paying["subscription_unit_amount"] / 100 * paying["subscription_quantity"] \
        / paying["subscription_interval"].map({"month": 1, "year": 12})
    mrr = monthly.groupby(paying["subscription_plan"]).sum().round(2)
    got = figures["plans"].set_index("plan")
    assert got["subscribers"].to_dict() == subscribers["subscription_plan"].value_counts().to_dict()
    assert got["paying"].to_dict() == {p: paying["subscription_plan"].eq(p).sum() for p in got.index}
    assert got["mrr"].to_dict() == pytest.approx(mrr.reindex(got.index, fill_value=0).to_dict())
    assert set(got["currency"]) == {"USD"} and mrr.sum() > 0


def test_churn_per_month(seeded, figures):
    users = seeded[1].dropna(subset=["subscription_started_at"])
    begun, ended = naive(users["subscription_started_at"]), naive(users["subscription_ended_at"])
    got = figures["churn"]
    assert len(got) == 12 and got["month"].iloc[-1] == pd.Timestamp("2026-06-01")
    for row in got.itertuples():
        after = row.month + pd.DateOffset(months=1)
        active = [(b < row.month) and (pd.isna(e) or e >= row.month) for b, e in zip(begun, ended)]
        churned = [a and not pd.isna(e) and e < after for a, e in zip(active, ended)]
        assert (row.active_at_start, row.churned) == (sum(active), sum(churned))
        assert row.churn_pct == (round(100 * sum(churned) / sum(active), 1) if sum(active) else pytest.approx(
            np.nan, nan_ok=True))
    assert got["churned"].sum() > 0


@pytest.mark.parametrize("kind", ["dashboard_opened", "filter_changed", "download"])
def test_most_used(seeded, figures, kind):
    events = seeded[2]
    since = pd.Timestamp(NOW).tz_convert(None).normalize() - pd.Timedelta(days=29)
    recent = events[(naive(events["created_at"]) >= since) & (events["kind"] == kind)]
    got = figures[f"top_{kind}"].set_index("detail")
    assert got["events"].to_dict() == recent["detail"].value_counts().to_dict()
    assert got["users"].to_dict() == recent.groupby("detail")["user_id"].nunique().to_dict()


def test_api_calls_per_day(seeded, figures):
    events = seeded[2]
    calls = events[events["kind"] == "api_call"]
    days = naive(calls["created_at"]).dt.date
    got = figures["api_calls"]
    assert len(got) == 30 and got["day"].iloc[-1] == pd.Timestamp("2026-06-17")
    assert dict(zip(got["day"].dt.date, got["calls"])) == {d: int((days == d).sum()) for d in got["day"].dt.date}


def test_p95_latency_and_5xx_rate_per_day(seeded, figures):
    timings = seeded[3].assign(day=lambda f: naive(f["created_at"]).dt.date)
    got = figures["requests"]
    for row in got.itertuples():
        today = timings[timings["day"] == row.day.date()]
        assert row.requests == len(today)
        assert row.p95_ms == pytest.approx(round(np.percentile(today["duration_ms"], 95), 1))
        assert row.errors_5xx == int((today["status"] >= 500).sum())
        assert row.error_pct == round(100 * row.errors_5xx / len(today), 2)


def test_the_page_is_for_admins_and_its_csv_is_the_figure(seeded):
    from auth import business
    from tests.billing.conftest import add_user, login
    from tests.harness import dash_client as dc

    app = seeded[0]
    subscriber, admin = app.test_client(), app.test_client()
    login(subscriber, app, add_user(app, "paying@example.com", access_granted=True))
    login(admin, app, add_user(app, "boss@example.com", role="admin"))
    assert subscriber.get("/admin/metrics").status_code == 403
    assert admin.get("/admin/metrics").status_code == 200
    layout = admin.get("/_dash-layout", headers={"Referer": "http://localhost/admin/metrics"}).get_data(as_text=True)
    assert "Active subscribers" in layout and "MRR by plan" in layout
    deps = admin.get("/_dash-dependencies").get_json()
    spec = dc.find(deps, "admin-metrics-download", "data")
    body = dc.body(spec, {("admin-metrics-plans-csv", "n_clicks"): 1}, ["admin-metrics-plans-csv.n_clicks"])
    refused = subscriber.post("/_dash-update-component", json=body,
                              headers={"X-CSRFToken": subscriber.get_cookie("_csrf_token").value})
    assert refused.status_code == 403
    sent = admin.post("/_dash-update-component", json=body,
                      headers={"X-CSRFToken": admin.get_cookie("_csrf_token").value})
    assert sent.status_code == 200
    csv = pd.read_csv(io.StringIO(sent.get_json()["response"]["admin-metrics-download"]["data"]["content"]))
    with app.app_context():
        expected = business.figures()["plans"]
    pd.testing.assert_frame_equal(csv, expected, check_dtype=False)
