"""Test every active price rule of every subscriber against one Pink Sheet edition and store the new firings."""
from alerts.evaluate import number, active_rules, serving_connection, store
from data.commodities.site import site
from data.queries import price_alerts as price_sql
from data.schema import WORLD
from models.alerts import PRICE_KINDS


def evaluate_prices(edition=None):
    """Store the firings of the price rules on every served commodity that declares series against a Pink Sheet
    edition (default: the newest); return (edition, {user_id: new firings})."""
    rows = []
    with serving_connection() as con:
        edition = edition or price_sql.latest_edition(con)
        if edition is None:
            raise LookupError("no Pink Sheet edition in the serving file")
        for commodity in site():
            if not commodity.prices:
                continue
            rules = active_rules(commodity.code, PRICE_KINDS)
            if not rules.num_rows:
                continue
            found = price_sql.firings(con, rules, edition, commodity.code)
            rows += [{"rule_id": int(r.rule_id), "user_id": int(r.user_id), "release_id": edition,
                      "country_code": WORLD, "metric": r.series, "market_year": None, "month": r.month,
                      "old_value": number(r.old_value), "new_value": number(r.new_value),
                      "change_pct": number(r.change_pct)}
                     for r in found.itertuples(index=False)]
    return edition, store(rows, edition)
