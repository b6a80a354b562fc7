"""Price alert rules tested against one Pink Sheet edition in set-based SQL: the rules arrive as an Arrow table.

A rule compares the edition's latest month with the month before, both in the series' display unit (the
declaration's factor, as every price query applies it): price_move fires when the month's change is at least
threshold_pct percent either way, price_level when the level lies between the two months' prices (crossed up:
before < level <= now; down: before > level >= now). A series without a price in either month does not fire.
"""
import pandas as pd

from data.queries import prices, scope

RULES = "price_alert_rules_input"
COLUMNS = ["rule_id", "user_id", "series", "month", "old_value", "new_value", "change_pct"]

_FIRINGS = """
WITH d AS ({declared}),
months AS (
    SELECT month AS latest, strftime(CAST(month || '-01' AS DATE) - INTERVAL 1 MONTH, '%Y-%m') AS previous
    FROM (SELECT max(month) AS month FROM prices_monthly_history WHERE release_id = ?)
),
moves AS (
    SELECT d.slug AS series, m.latest AS month, o.value * d.factor AS old_value, n.value * d.factor AS new_value
    FROM d CROSS JOIN months m
    JOIN prices_monthly_history n ON n.release_id = ? AND n.series = d.series AND n.month = m.latest
    JOIN prices_monthly_history o ON o.release_id = ? AND o.series = d.series AND o.month = m.previous
)
SELECT r.rule_id, r.user_id, v.series, v.month, v.old_value, v.new_value,
       CASE WHEN v.old_value <> 0 THEN 100 * (v.new_value - v.old_value) / abs(v.old_value) END AS change_pct
FROM {rules} r JOIN moves v ON v.series = r.series
WHERE (r.kind = 'price_move' AND v.old_value <> 0
       AND abs(100 * (v.new_value - v.old_value) / v.old_value) >= r.threshold_pct)
   OR (r.kind = 'price_level' AND ((v.old_value < r.level AND r.level <= v.new_value)
                                   OR (v.old_value > r.level AND r.level >= v.new_value)))
ORDER BY r.rule_id
"""


def latest_edition(con):
    """Return the id of the newest Pink Sheet edition in the serving file, or None."""
    rows = con.execute("SELECT max(release_id) FROM prices_releases").fetchall()
    return rows[0][0] if rows else None


def firings(con, rules, edition, commodity=None):
    """Return the price rules (Arrow/pandas: rule_id, user_id, kind, series, threshold_pct, level) of a commodity
    met by a Pink Sheet edition, one row per rule with the latest month and its numbers (LookupError: no such
    edition)."""
    if not con.execute("SELECT count(*) FROM prices_releases WHERE release_id = ?", [edition]).fetchall()[0][0]:
        raise LookupError(f"unknown Pink Sheet edition {edition}")
    declared, lists = prices.declared_series(scope.commodity(commodity).code)
    con.register(RULES, rules)
    try:
        found = con.execute(_FIRINGS.format(declared=declared, rules=RULES), [*lists, edition, edition, edition]).df()
    finally:
        con.unregister(RULES)
    return found[COLUMNS] if len(found) else pd.DataFrame(columns=COLUMNS)
