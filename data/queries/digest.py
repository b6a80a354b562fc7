"""What a release changed, for the release digest email: largest revisions and world balance changes."""
from data.queries import scope

WORLD_METRICS = ("production", "domestic_consumption", "exports", "ending_stocks", "stocks_to_use_pct")


def largest_revisions(con, release_id, limit=10, commodity=None):
    """Return the revised values of release_id with the largest percent change, largest first."""
    commodity = scope.code(commodity)
    return con.execute(
        "SELECT country_code, country, market_year, metric, old_value, new_value, pct FROM revisions "
        "WHERE release_id = ? AND commodity_code = ? AND kind = 'revised' AND pct IS NOT NULL "
        "ORDER BY abs(pct) DESC, country_code, market_year, metric LIMIT ?",
        [release_id, commodity, int(limit)]).df()


def world_balance(con, release_id, commodity=None):
    """Return the world balance of the release's last two market years next to the release before."""
    commodity = scope.code(commodity)
    columns = ", ".join(f"n.{m} AS {m}, o.{m} AS previous_{m}" for m in WORLD_METRICS)
    return con.execute(
        f"""
        SELECT n.market_year, {columns}
        FROM obt_world_metrics_history n
        LEFT JOIN releases r ON r.release_id = n.release_id AND r.commodity_code = n.commodity_code
        LEFT JOIN obt_world_metrics_history o ON o.release_id = r.previous_release_id
             AND o.commodity_code = n.commodity_code AND o.market_year = n.market_year
        WHERE n.release_id = ? AND n.commodity_code = ?
        ORDER BY n.market_year DESC LIMIT 2
        """, [release_id, commodity]).df()

