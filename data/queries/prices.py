"""SQL on the price serving tables: monthly series, market-year averages, and price against world stocks-to-use.

Prices leave here in each series' display unit (the declaration's factor applied); edition=None reads the newest
Pink Sheet edition, an id reads that edition as published; release scopes USDA's numbers as usual. The names are
unique across data/queries: the query cache keys answers by function name.
"""
from data.queries import scope
from data.reference import price_years
from data.serving.as_of import scoped
from data.serving.prices_tables import REVISED
from data.serving.reader import cached

# Prices of the newest edition, or of the edition bound as the first parameter.
_LATEST = "SELECT series, month, value FROM prices_monthly"
_EDITION = "SELECT series, month, value FROM prices_monthly_history WHERE release_id = ?"
# The commodity's declared series, bound as lists: slug, World Bank name, factor and display unit.
_DECLARED = "SELECT unnest(?) AS slug, unnest(?) AS series, unnest(?) AS factor, unnest(?) AS unit"


def _prices(edition):
    """Return (SQL of the prices CTE, its parameters) for an edition (None: the newest)."""
    return (_LATEST, []) if edition is None else (_EDITION, [edition])


def _declared(commodity, series=None):
    """Return the bound lists of the commodity's series (all, or the slugs named), raising ValueError on others."""
    found = scope.commodity(commodity).prices
    if series:
        known = {p.slug for p in found}
        unknown = [s for s in series if s not in known]
        if unknown:
            raise ValueError(f"unknown series {unknown[0]!r}")
        found = tuple(p for p in found if p.slug in series)
    return [[p.slug for p in found], [p.series.strip() for p in found], [p.factor for p in found],
            [p.display_unit for p in found]]


def declared_series(commodity):
    """Return (SQL of the commodity's declared series as rows: slug, series, factor, unit; its bound lists)."""
    return _DECLARED, _declared(commodity)


@cached
def prices_loaded(con):
    """Return True when the serving file holds a Pink Sheet edition."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return "prices_releases" in tables and con.execute("SELECT count(*) FROM prices_releases").fetchone()[0] > 0


@cached
def price_releases(con):
    """Return the price releases (editions), oldest first: release_id, loaded_at, rows, revised_values, last_month."""
    return con.execute("SELECT release_id, loaded_at, rows, revised_values, last_month, source, source_kind "
                       "FROM prices_releases ORDER BY release_id").df()


@cached
def monthly_prices(con, commodity, series, start, end, edition=None):
    """Return month (YYYY-MM), series (slug), value and unit of the commodity's series in start..end (None: open)."""
    sql, params = _prices(edition)
    return con.execute(
        f"WITH p AS ({sql}), d AS ({_DECLARED}) "
        "SELECT p.month, d.slug AS series, p.value * d.factor AS value, d.unit FROM p JOIN d USING (series) "
        "WHERE p.month >= coalesce(?, p.month) AND p.month <= coalesce(?, p.month) ORDER BY d.slug, p.month",
        [*params, *_declared(commodity, series), start, end]).df()


# Market year Y holds the 12 months from its start month of Y; only years with all 12 months are averaged.
_YEARS = """
WITH p AS ({prices}), d AS ({declared}),
placed AS (
    SELECT d.slug AS series, d.unit, p.value * d.factor AS value,
           CAST(((CAST(left(p.month, 4) AS INTEGER) * 12 + CAST(right(p.month, 2) AS INTEGER) - 1) - (? - 1)) // 12
                AS INTEGER) AS market_year
    FROM p JOIN d USING (series)
)
SELECT series, market_year, avg(value) AS price, count(*) AS months, any_value(unit) AS unit
FROM placed GROUP BY series, market_year HAVING count(*) = 12 ORDER BY series, market_year
"""


@cached
def market_year_prices(con, commodity, series=None, edition=None):
    """Return series, market_year, price (the 12 months' mean), months and unit of each complete market year."""
    sql, params = _prices(edition)
    month, _ = price_years.start(scope.commodity(commodity))
    return con.execute(_YEARS.format(prices=sql, declared=_DECLARED),
                       [*params, *_declared(commodity, series), month]).df()


@cached
def world_stocks_to_use_pct(con, commodity, release=None):
    """Return market_year and world stocks_to_use_pct of the commodity, as USDA's release published them."""
    sql = ("SELECT market_year, stocks_to_use_pct FROM obt_world_metrics WHERE commodity_code = ? "
           "AND stocks_to_use_pct IS NOT NULL ORDER BY market_year")
    return con.execute(*scoped(sql, [scope.code(commodity)], release)).df()


# The commodity's market-year averages beside USDA's world stocks-to-use of the same year, in one pass.
_POINTS = """
WITH p AS ({prices}), d AS ({declared}),
placed AS (
    SELECT d.unit, p.value * d.factor AS value,
           CAST(((CAST(left(p.month, 4) AS INTEGER) * 12 + CAST(right(p.month, 2) AS INTEGER) - 1) - (? - 1)) // 12
                AS INTEGER) AS market_year
    FROM p JOIN d USING (series)
),
years AS (SELECT market_year, avg(value) AS price, any_value(unit) AS unit FROM placed GROUP BY market_year
          HAVING count(*) = 12)
SELECT y.market_year, y.price, y.unit, w.stocks_to_use_pct
FROM years y JOIN obt_world_metrics w ON w.market_year = y.market_year AND w.commodity_code = ?
WHERE w.stocks_to_use_pct IS NOT NULL AND y.market_year BETWEEN coalesce(?, y.market_year) AND coalesce(?, y.market_year)
ORDER BY y.market_year
"""


@cached
def prices_against_stocks(con, commodity, series, start=None, end=None, edition=None, release=None):
    """Return market_year, price, unit and world stocks_to_use_pct of the complete price years USDA also counts."""
    sql, params = _prices(edition)
    found = scope.commodity(commodity)
    month, _ = price_years.start(found)
    text = _POINTS.format(prices=sql, declared=_DECLARED)
    scoped_sql, scoped_params = scoped(text, [*params, *_declared(commodity, (series,)), month, found.code, start, end],
                                       release)
    return con.execute(scoped_sql, scoped_params).df()


# Each month with its market year and, where that year has all 12 months, the year's average.
_HISTORY = """
WITH p AS ({prices}), d AS ({declared}),
placed AS (
    SELECT p.month, d.slug AS series, p.value * d.factor AS value, d.unit,
           CAST(((CAST(left(p.month, 4) AS INTEGER) * 12 + CAST(right(p.month, 2) AS INTEGER) - 1) - (? - 1)) // 12
                AS INTEGER) AS market_year
    FROM p JOIN d USING (series)
),
averaged AS (
    SELECT *, CASE WHEN count(*) OVER w = 12 THEN avg(value) OVER w END AS market_year_average
    FROM placed WINDOW w AS (PARTITION BY series, market_year)
)
SELECT month, series, value, unit, market_year, market_year_average FROM averaged
WHERE market_year >= coalesce(?, market_year) ORDER BY series, month
"""


@cached
def price_history(con, commodity, start=None, edition=None):
    """Return month, series, value, unit, market_year and market_year_average (whole years only) from market year
    start on."""
    sql, params = _prices(edition)
    month, _ = price_years.start(scope.commodity(commodity))
    return con.execute(_HISTORY.format(prices=sql, declared=_DECLARED),
                       [*params, *_declared(commodity), month, start]).df()


# Months one edition publishes differently from another (or only one of them), in the display unit.
_REVISIONS = """
WITH d AS ({declared}),
o AS (SELECT series, month, value FROM prices_monthly_history WHERE release_id = ?),
n AS (SELECT series, month, value FROM prices_monthly_history WHERE release_id = ?)
SELECT d.slug AS series, month, o.value * d.factor AS old_value, n.value * d.factor AS new_value,
       (n.value - o.value) * d.factor AS change, 100 * (n.value - o.value) / o.value AS pct,
       CASE WHEN o.value IS NULL THEN 'new' WHEN n.value IS NULL THEN 'dropped' ELSE 'revised' END AS kind, d.unit
FROM o FULL JOIN n USING (series, month) JOIN d USING (series)
WHERE o.value IS NULL OR n.value IS NULL OR {revised}
ORDER BY CASE kind WHEN 'revised' THEN 0 WHEN 'new' THEN 1 ELSE 2 END, d.slug, month
"""


@cached
def price_revisions(con, commodity, old, new):
    """Return series, month, old_value, new_value, change, pct, kind (revised, new, dropped) and unit of every month
    of the commodity's series that edition new publishes differently from edition old."""
    return con.execute(_REVISIONS.format(declared=_DECLARED, revised=REVISED.format(new="n.value", old="o.value")), [*_declared(commodity), old, new]).df()
