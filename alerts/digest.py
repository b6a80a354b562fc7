"""The emails: one alerts digest per user and release, and the opt-in release digest."""
from flask import render_template

from alerts import sharing, unsubscribe
from alerts.evaluate import serving_connection
from auth import mail
from data.commodities.site import brand
from data.queries import metrics as queries
from data.queries import digest as release_digest_sql
from data.schema import METRIC_LABELS, WORLD
from extensions import db
from links import external_url
from models.accounts import User
from models.alerts import AlertRule, Firing

DASH_ENDPOINT = "/<path:path>"  # Dash serves every page under this Flask endpoint
KIND_LABELS = {"revision": "Revision", "stocks_to_use": "Stocks-to-use", "drawdown": "Drawdown"}


def dashboard_url(path, **query):
    """Return the absolute URL of a dashboard path (without its leading slash) with query values."""
    return external_url(DASH_ENDPOINT, path=path, **{k: v for k, v in query.items() if v is not None})


def firing_url(firing):
    """Return the dashboard view a firing is about, pinned to its release."""
    code, release = firing.country_code, firing.release_id
    if firing.rule.kind == "revision":
        if code == WORLD:
            return dashboard_url("dashboards/overview", year=firing.market_year, release=release)
        return dashboard_url(f"dashboards/country/{code}", metric=firing.metric, release=release)
    return dashboard_url("dashboards/supply", countries=None if code == WORLD else code, year=firing.market_year,
                         threshold=firing.rule.threshold_pct if firing.rule.kind == "drawdown" else None,
                         release=release)


def describe(firing, names):
    """Return a firing as a dict of the words and numbers the emails and the alerts page show."""
    rule = firing.rule
    return {"kind": KIND_LABELS[rule.kind], "country": names.get(firing.country_code, firing.country_code),
            "code": firing.country_code, "metric": METRIC_LABELS.get(firing.metric, firing.metric),
            "year": firing.market_year, "old": firing.old_value, "new": firing.new_value, "pct": firing.change_pct,
            "threshold": rule.threshold_pct, "release": firing.release_id, "url": firing_url(firing),
            "rule_kind": rule.kind, "shared_by": rule.user.email if rule.team_id else None}


def names():
    """Return {country code: name} of the served countries, plus the world."""
    frame = queries.countries()  # cached per serving-file version
    return {**dict(zip(frame["country_code"], frame["country"])), WORLD: "World"}


def user_firings(user_id, release_id):
    """Return a user's firings of one release, with those of rules teammates share, in a stable order."""
    return db.session.execute(
        db.select(Firing).join(AlertRule, AlertRule.id == Firing.rule_id)
        .where(Firing.release_id == release_id, sharing.visible(AlertRule, user_id))
        .order_by(Firing.country_code, Firing.metric, Firing.id)).scalars().all()


def _email(user, kind, subject, template, **context):
    """Return the email of kind to user: plain text and HTML from template, with unsubscribe headers."""
    link = unsubscribe.link(user.id, kind)
    context.update(unsubscribe_url=link, email=user.email, manage_url=external_url("alerts.index"))
    return mail.message(user.email, subject, render_template(f"alerts/{template}.txt", **context),
                        render_template(f"alerts/{template}.html", **context), unsubscribe.headers(link))


def build(delivery):
    """Return the email a delivery sends, or None when it has nothing to say."""
    user = db.session.get(User, delivery.user_id)
    if user is None or not user.is_active:
        return None
    if delivery.kind == "alerts":
        firings = user_firings(user.id, delivery.release_id)
        if not firings:
            return None
        known = names()
        items = [describe(f, known) for f in firings]
        subject = f"{brand()}: {len(items)} alert{'s' if len(items) != 1 else ''} in USDA release {delivery.release_id}"
        return _email(user, "alerts", subject, "digest", items=items, release=delivery.release_id)
    with serving_connection() as con:
        revisions = release_digest_sql.largest_revisions(con, delivery.release_id).to_dict("records")
        balance = release_digest_sql.world_balance(con, delivery.release_id).to_dict("records")
    return _email(user, "release", f"{brand()}: USDA release {delivery.release_id}", "release_digest",
                  revisions=revisions, balance=balance, release=delivery.release_id, labels=METRIC_LABELS,
                  world_metrics=release_digest_sql.WORLD_METRICS,
                  overview=dashboard_url("dashboards/overview", release=delivery.release_id))
