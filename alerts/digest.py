"""The emails: one alerts digest per user and release, and the opt-in release digest."""
from flask import render_template

from alerts import sharing, unsubscribe
from alerts.evaluate import serving_connection
from auth import mail
from data import commodities
from data.commodities.site import brand, site
from data.reference.price_years import ATTRIBUTION
from data.queries import metrics as queries
from data.queries import digest as release_digest_sql
from data.schema import WORLD
from extensions import db
from links import external_url
from models.accounts import User
from models.alerts import PRICE_KINDS, AlertRule, Firing

DASH_ENDPOINT = "/<path:path>"  # Dash serves every page under this Flask endpoint
KIND_LABELS = {"revision": "Revision", "stocks_to_use": "Stocks-to-use", "drawdown": "Drawdown",
               "price_move": "Price move", "price_level": "Price level"}


def dashboard_url(path, **query):
    """Return the absolute URL of a dashboard path (without its leading slash) with query values."""
    return external_url(DASH_ENDPOINT, path=path, **{k: v for k, v in query.items() if v is not None})


def commodity_of(code):
    """Return the declared Commodity of a PSD code (a row's commodity_code)."""
    return commodities.current().get(code)


def firing_url(firing):
    """Return the dashboard view a firing is about, on its commodity and pinned to its release."""
    code, release = firing.country_code, firing.release_id
    slug = commodity_of(firing.rule.commodity_code).slug
    if firing.rule.kind in PRICE_KINDS:  # the prices page shows the newest edition: no release to pin
        return dashboard_url("dashboards/prices", commodity=slug, series=firing.metric)
    if firing.rule.kind == "revision":
        if code == WORLD:
            return dashboard_url("dashboards/overview", commodity=slug, year=firing.market_year, release=release)
        return dashboard_url(f"dashboards/country/{code}", commodity=slug, metric=firing.metric, release=release)
    return dashboard_url("dashboards/supply", commodity=slug, countries=None if code == WORLD else code,
                         year=firing.market_year,
                         threshold=firing.rule.threshold_pct if firing.rule.kind == "drawdown" else None,
                         release=release)


def describe(firing, names):
    """Return a firing as a dict of the words and numbers the emails and the alerts page show."""
    rule = firing.rule
    if rule.kind in PRICE_KINDS:
        return describe_price(firing)
    commodity = commodity_of(rule.commodity_code)
    return {"kind": KIND_LABELS[rule.kind], "country": names.get(firing.country_code, firing.country_code),
            "commodity": commodity.name, "code": firing.country_code,
            "metric": commodity.labels.get(firing.metric, firing.metric),
            "year": firing.market_year, "old": firing.old_value, "new": firing.new_value, "pct": firing.change_pct,
            "threshold": rule.threshold_pct, "release": firing.release_id, "url": firing_url(firing),
            "rule_kind": rule.kind, "shared_by": rule.user.email if rule.team_id else None}


def previous_month(month):
    """Return the month (YYYY-MM) before month."""
    year, number = map(int, month.split("-"))
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def describe_price(firing):
    """Return a price firing as a dict of the words and numbers the emails and the alerts page show."""
    rule = firing.rule
    commodity = commodity_of(rule.commodity_code)
    series = next((p for p in commodity.prices if p.slug == firing.metric), None)
    up = firing.new_value is not None and firing.old_value is not None and firing.new_value > firing.old_value
    return {"kind": KIND_LABELS[rule.kind], "rule_kind": rule.kind, "price": True, "commodity": commodity.name,
            "series": series.name if series else firing.metric, "unit": series.display_unit if series else "",
            "month": firing.month, "previous_month": previous_month(firing.month) if firing.month else None,
            "old": firing.old_value, "new": firing.new_value, "pct": firing.change_pct,
            "threshold": rule.threshold_pct, "level": rule.level, "direction": "up" if up else "down",
            "release": firing.release_id, "url": firing_url(firing),
            "shared_by": rule.user.email if rule.team_id else None,
            # The alerts page's one line for every kind.
            "country": "World Bank", "code": "WORLD", "metric": series.name if series else firing.metric,
            "year": firing.month}


def names(commodity=None):
    """Return {country code: name} of a commodity's countries (default: the default commodity's), plus the world."""
    frame = queries.countries(commodity)  # cached per serving-file version
    return {**dict(zip(frame["country_code"], frame["country"])), WORLD: "World"}


def every_name():
    """Return {country code: name} over the site's commodities, plus the world."""
    found = {}
    for commodity in site():
        try:
            found.update(names(commodity.code))
        except LookupError:
            continue
    return found


def user_firings(user_id, release_id, commodity_code):
    """Return a user's firings of one commodity's USDA release, with those of rules teammates share, in a stable
    order (a Pink Sheet edition may carry the same id: its price firings are not the release's)."""
    return db.session.execute(
        db.select(Firing).join(AlertRule, AlertRule.id == Firing.rule_id)
        .where(Firing.release_id == release_id, AlertRule.commodity_code == commodity_code,
               AlertRule.kind.not_in(PRICE_KINDS), sharing.visible(AlertRule, user_id))
        .order_by(Firing.country_code, Firing.metric, Firing.id)).scalars().all()


def user_price_firings(user_id, edition):
    """Return a user's price firings of a Pink Sheet edition over the site's commodities, with those of rules
    teammates share, in a stable order."""
    return db.session.execute(
        db.select(Firing).join(AlertRule, AlertRule.id == Firing.rule_id)
        .where(Firing.release_id == edition, AlertRule.kind.in_(PRICE_KINDS),
               AlertRule.commodity_code.in_([c.code for c in site()]), sharing.visible(AlertRule, user_id))
        .order_by(AlertRule.commodity_code, Firing.metric, Firing.id)).scalars().all()


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
    if delivery.kind == "prices":
        return _price_digest(user, delivery.release_id)
    commodity = commodity_of(delivery.commodity_code)
    if delivery.kind == "alerts":
        firings = user_firings(user.id, delivery.release_id, commodity.code)
        if not firings:
            return None
        known = names(commodity.code)
        items = [describe(f, known) for f in firings]
        subject = (f"{brand()}: {len(items)} {commodity.name} alert{'s' if len(items) != 1 else ''} "
                   f"in USDA release {delivery.release_id}")
        return _email(user, "alerts", subject, "digest", items=items, release=delivery.release_id,
                      commodity=commodity.name)
    with serving_connection() as con:
        revisions = release_digest_sql.largest_revisions(con, delivery.release_id,
                                                         commodity=commodity.code).to_dict("records")
        balance = release_digest_sql.world_balance(con, delivery.release_id, commodity.code).to_dict("records")
    return _email(user, "release", f"{brand()}: {commodity.name}, USDA release {delivery.release_id}",
                  "release_digest", revisions=revisions, balance=balance, release=delivery.release_id,
                  labels=commodity.labels, world_metrics=release_digest_sql.WORLD_METRICS, commodity=commodity.name,
                  overview=dashboard_url("dashboards/overview", commodity=commodity.slug, release=delivery.release_id))


def _price_digest(user, edition):
    """Return the alerts digest of a Pink Sheet edition to user, or None when none of their price rules fired."""
    firings = user_price_firings(user.id, edition)
    if not firings:
        return None
    items = [describe_price(f) for f in firings]
    subject = (f"{brand()}: {len(items)} price alert{'s' if len(items) != 1 else ''} "
               f"in the World Bank Pink Sheet of {edition}")
    return _email(user, "alerts", subject, "digest", items=items, release=edition, prices=True,
                  attribution=ATTRIBUTION)
