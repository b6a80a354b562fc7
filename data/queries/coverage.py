"""Coverage and release queries: who reported in which market years, which release is served (SQL beside queries.py)."""
from data.queries import scope
from data.serving.reader import cached


@cached
def coverage(con, start, end, commodity=None):
    """Return, per country and market year, whether it reported, the attribute ids it reported and its change."""
    commodity = scope.code(commodity)
    return con.execute(
        "SELECT country_code, country, market_year, reported, attribute_ids, change FROM obt_coverage "
        "WHERE commodity_code = ? AND market_year BETWEEN ? AND ? ORDER BY market_year, country_code",
        [commodity, start, end],
    ).df()


@cached
def coverage_changes(con, start, end, commodity=None):
    """Return the countries entering or leaving the data in each year after start up to end."""
    commodity = scope.code(commodity)
    return con.execute(
        "SELECT market_year, change, country_code, country FROM obt_coverage "
        "WHERE commodity_code = ? AND market_year > ? AND market_year <= ? AND change IS NOT NULL "
        "ORDER BY market_year, change, country",
        [commodity, start, end],
    ).df()


@cached
def current_release(con, commodity=None):
    """Return the id ('YYYY-MM') of the commodity's latest USDA release the serving file holds, or None."""
    rows = con.execute("SELECT max(release_id) FROM releases WHERE commodity_code = ?",
                       [scope.code(commodity)]).fetchall()
    return rows[0][0] if rows else None
