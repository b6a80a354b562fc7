"""Coverage and release queries: who reported in which market years, which release is served (SQL beside queries.py)."""
from data.schema import COFFEE
from data.serving import cached


@cached
def coverage(con, start, end, commodity=COFFEE):
    """Return, per country and market year, whether it reported, the attribute ids it reported and its change."""
    return con.execute(
        "SELECT country_code, country, market_year, reported, attribute_ids, change FROM obt_coverage "
        "WHERE commodity_code = ? AND market_year BETWEEN ? AND ? ORDER BY market_year, country_code",
        [commodity, start, end],
    ).df()


@cached
def coverage_changes(con, start, end, commodity=COFFEE):
    """Return the countries entering or leaving the data in each year after start up to end."""
    return con.execute(
        "SELECT market_year, change, country_code, country FROM obt_coverage "
        "WHERE commodity_code = ? AND market_year > ? AND market_year <= ? AND change IS NOT NULL "
        "ORDER BY market_year, change, country",
        [commodity, start, end],
    ).df()


@cached
def current_release(con):
    """Return the id ('YYYY-MM') of the USDA release the serving file holds, or None."""
    row = con.execute("SELECT max(release_id) FROM releases").fetchone()
    return row[0] if row else None
