"""Test every active rule of every subscriber against one release and store the new firings."""
from pathlib import Path

import duckdb
import pyarrow as pa
from flask import current_app

from alerts import sharing
from alerts.store import insert_new
from data.commodities.site import served_commodity
from data.queries import alerts as alert_sql
from data.schema import SERVING_NAME
from extensions import db
from models.accounts import User
from models.alerts import PSD_KINDS, AlertRule, Firing
from models.entitlement import is_subscriber

RULE_SCHEMA = pa.schema([("rule_id", pa.int64()), ("user_id", pa.int64()), ("kind", pa.string()),
                         ("country_code", pa.string()), ("metric", pa.string()), ("year_choice", pa.string()),
                         ("threshold_pct", pa.float64()), ("series", pa.string()), ("level", pa.float64())])


def active_rules(commodity_code=None, kinds=PSD_KINDS):
    """Return the active rules of kinds on a commodity (default: the site's first) of active subscribers as an Arrow
    table (lapsed subscriptions pause them)."""
    commodity_code = commodity_code or served_commodity(None).code
    rows = db.session.execute(
        db.select(AlertRule.id, AlertRule.user_id, AlertRule.kind, AlertRule.country_code, AlertRule.metric,
                  AlertRule.year_choice, AlertRule.threshold_pct, AlertRule.series, AlertRule.level)
        .join(User, User.id == AlertRule.user_id)
        .where(AlertRule.active, User.active, AlertRule.commodity_code == commodity_code, AlertRule.kind.in_(kinds))
    ).all()
    user_ids = {row[1] for row in rows}
    users = db.session.execute(db.select(User).where(User.id.in_(user_ids))).scalars() if user_ids else []
    entitled = {user.id for user in users if is_subscriber(user)}
    kept = [row for row in rows if row[1] in entitled]
    return pa.Table.from_pylist([dict(zip(RULE_SCHEMA.names, row)) for row in kept], schema=RULE_SCHEMA)


def serving_connection():
    """Return a read-only DuckDB connection to the serving file."""
    return duckdb.connect(str(Path(current_app.config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME), read_only=True)


def evaluate(release_id=None, commodity=None):
    """Store the firings of a served commodity's release_id (default: the site's first, its latest release);
    return (Commodity, release_id, {user_id: new firings})."""
    declared = served_commodity(commodity)
    with serving_connection() as con:
        release_id = release_id or alert_sql.latest_release(con, declared.code)
        if release_id is None:
            raise LookupError(f"no release of {declared.slug} in the serving file")
        found = alert_sql.firings(con, active_rules(declared.code), release_id, declared.code)
    rows = [{"rule_id": int(r.rule_id), "user_id": int(r.user_id), "release_id": release_id,
             "country_code": r.country_code, "metric": r.metric,
             "market_year": None if r.market_year != r.market_year else int(r.market_year),
             "old_value": number(r.old_value), "new_value": number(r.new_value), "change_pct": number(r.change_pct)}
            for r in found.itertuples(index=False)]
    return declared, release_id, store(rows, release_id)


def store(rows, release_id):
    """Store the firing rows of a release (those stored already stay as they were); return {user_id: new firings},
    teammates of shared rules included."""
    inserted = insert_new(Firing, rows, ["rule_id", "release_id"]) if rows else []
    per_user = {}
    for _firing_id, user_id in inserted:
        per_user[user_id] = per_user.get(user_id, 0) + 1
    for user_id, count in _teammates(release_id, {firing_id for firing_id, _ in inserted}).items():
        per_user[user_id] = per_user.get(user_id, 0) + count
    return per_user


def _teammates(release_id, new_ids):
    """Return {user_id: new firings} of the teammates the new firings of shared rules also go to."""
    if not new_ids:
        return {}
    shared = db.select(AlertRule.id).where(AlertRule.team_id.is_not(None))
    rules = [rule_id for firing_id, rule_id in db.session.execute(
        db.select(Firing.id, Firing.rule_id).where(Firing.release_id == release_id, Firing.rule_id.in_(shared))).all()
        if firing_id in new_ids]
    recipients = sharing.team_recipients(set(rules))
    counts = {}
    for rule_id in rules:
        for user_id in recipients.get(rule_id, []):
            counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def number(value):
    """Return value as a float, None for a missing one."""
    return None if value is None or value != value else float(value)
