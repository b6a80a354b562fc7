"""Alert rules tested against one release in set-based SQL: the rules arrive as an Arrow table."""
import pandas as pd

from data.queries.drawdown import CHANGE_PCT, fell_more_than
from data.queries import scope
from data.schema import WORLD

RULES = "alert_rules_input"
COLUMNS = ["rule_id", "user_id", "country_code", "metric", "market_year", "old_value", "new_value", "change_pct"]
# Every series as the releases published it: countries, and the world as country WORLD.
SERIES = f"""
series AS (
    SELECT release_id, country_code, market_year, __METRICS__
    FROM obt_commodity_metrics_history WHERE commodity_code = $commodity AND release_id IN ($release, $previous)
    UNION ALL
    SELECT release_id, '{WORLD}' AS country_code, market_year, __METRICS__
    FROM obt_world_metrics_history WHERE commodity_code = $commodity AND release_id IN ($release, $previous)
),
years AS (
    SELECT max(market_year) AS next_year FROM obt_commodity_metrics_history
    WHERE commodity_code = $commodity AND release_id = $release
)"""

REVISION = f"""
WITH {SERIES},
long AS (UNPIVOT series ON __METRICS__ INTO NAME metric VALUE value),
wanted AS (
    SELECT r.*, CASE WHEN r.year_choice = 'next' THEN y.next_year ELSE y.next_year - 1 END AS market_year
    FROM {RULES} r, years y WHERE r.kind = 'revision'
)
SELECT w.rule_id, w.user_id, w.country_code, w.metric, w.market_year,
       o.value AS old_value, n.value AS new_value, 100 * (n.value - o.value) / abs(o.value) AS change_pct
FROM wanted w
JOIN long n ON n.release_id = $release AND n.country_code = w.country_code
           AND n.metric = w.metric AND n.market_year = w.market_year
JOIN long o ON o.release_id = $previous AND o.country_code = w.country_code
           AND o.metric = w.metric AND o.market_year = w.market_year
WHERE o.value <> 0 AND abs(100 * (n.value - o.value) / o.value) > w.threshold_pct
"""

STOCKS_TO_USE = f"""
WITH {SERIES}
SELECT r.rule_id, r.user_id, r.country_code, 'stocks_to_use_pct' AS metric, c.market_year,
       p.stocks_to_use_pct AS old_value, c.stocks_to_use_pct AS new_value,
       c.stocks_to_use_pct - p.stocks_to_use_pct AS change_pct
FROM {RULES} r CROSS JOIN years y
JOIN series c ON c.release_id = $release AND c.country_code = r.country_code AND c.market_year = y.next_year
LEFT JOIN series p ON p.release_id = $release AND p.country_code = r.country_code AND p.market_year = y.next_year - 1
WHERE r.kind = 'stocks_to_use' AND c.stocks_to_use_pct < r.threshold_pct
"""

DRAWDOWN = f"""
WITH {SERIES}
SELECT r.rule_id, r.user_id, r.country_code, 'ending_stocks' AS metric, c.market_year,
       p.ending_stocks AS old_value, c.ending_stocks AS new_value, {CHANGE_PCT} AS change_pct
FROM {RULES} r CROSS JOIN years y
JOIN series c ON c.release_id = $release AND c.country_code = r.country_code AND c.market_year = y.next_year
JOIN series p ON p.release_id = $release AND p.country_code = r.country_code AND p.market_year = y.next_year - 1
WHERE r.kind = 'drawdown' AND {fell_more_than("r.threshold_pct")}
"""

QUERIES = {"revision": REVISION, "stocks_to_use": STOCKS_TO_USE, "drawdown": DRAWDOWN}


def latest_release(con, commodity=None):
    """Return the id of the commodity's latest release in the serving file, or None."""
    rows = con.execute("SELECT release_id FROM releases WHERE commodity_code = ? ORDER BY release_id DESC LIMIT 1",
                       [scope.code(commodity)]).fetchall()
    return rows[0][0] if rows else None


def previous_release(con, release_id, commodity=None):
    """Return the commodity's release before release_id, or None (raise LookupError for an unknown release)."""
    rows = con.execute("SELECT previous_release_id FROM releases WHERE release_id = ? AND commodity_code = ?",
                       [release_id, scope.code(commodity)]).fetchall()
    if not rows:
        raise LookupError(f"unknown release {release_id}")
    return rows[0][0]


def firings(con, rules, release_id, commodity=None):
    """Return the rules (Arrow/pandas: rule_id, user_id, kind, country_code, metric, year_choice,
    threshold_pct) met by the commodity's release_id, one row per rule with its numbers."""
    found = scope.commodity(commodity)
    previous = previous_release(con, release_id, found.code)
    metrics = ", ".join(found.all_metrics)  # the commodity's declared columns: an allow-list
    con.register(RULES, rules)
    try:
        params = {"commodity": found.code, "release": release_id, "previous": previous or release_id}
        frames = [con.execute(sql.replace("__METRICS__", metrics), params).df() for kind, sql in QUERIES.items()
                  if kind != "revision" or previous is not None]
    finally:
        con.unregister(RULES)
    found = [f for f in frames if len(f)]
    if not found:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(found, ignore_index=True)[COLUMNS]
