"""Every SQL query the web app runs: bound parameters, allow-listed columns; each takes a DuckDB connection."""
import pandas as pd

from data import commodities as declared
from data.queries import scope
from data.queries.drawdown import CHANGE_PCT, FELL_MORE_THAN
from data.queries.scope import frame as _frame
from data.schema import RANKED_METRICS, WORLD
from data.serving.as_of import scoped
from data.serving.metrics_sql import constant_world_sql
from data.serving.reader import cached


@cached
def load_info(con, commodity=None):
    """Return the load_metadata row of the commodity's latest release (default: the default commodity) as a dict."""
    row = con.execute(
        "SELECT source, source_kind, loaded_at, rows, snapshot_id "
        "FROM load_metadata WHERE commodity_code = ? ORDER BY release_id DESC, loaded_at DESC, snapshot_id DESC "
        "LIMIT 1",
        [scope.code(commodity)]).fetchall()
    row = row[0] if row else None
    return None if row is None else dict(zip(("source", "source_kind", "loaded_at", "rows", "snapshot_id"), row))


@cached
def commodities(con, release=None):
    """Return a frame of commodity_code, commodity and unit."""
    return _frame(
        con,
        "SELECT commodity_code, any_value(commodity) AS commodity, any_value(unit) AS unit "
        "FROM obt_commodity_metrics GROUP BY commodity_code ORDER BY commodity_code", release=release
    )


@cached
def countries(con, commodity=None, release=None):
    """Return a frame of country_code, country and first/last market year."""
    commodity = scope.code(commodity)
    return _frame(
        con,
        "SELECT country_code, any_value(country) AS country, "
        "min(market_year) FILTER (WHERE reported) AS first_year, "
        "max(market_year) FILTER (WHERE reported) AS last_year "
        "FROM obt_commodity_metrics WHERE commodity_code = ? "
        "GROUP BY country_code ORDER BY country",
        [commodity], release=release
    )


@cached
def year_range(con, commodity=None, release=None):
    """Return (first, last) market year for commodity."""
    commodity = scope.code(commodity)
    return con.execute(*scoped(
        "SELECT min(market_year), max(market_year) FROM obt_world_metrics WHERE commodity_code = ?",
        [commodity], release)).fetchone()


@cached
def world_series(con, metrics, start, end, commodity=None, constant=False, release=None):
    """Return world totals of metrics by market year; constant: over countries reporting every year."""
    commodity = scope.code(commodity)
    cols = scope.metric_list(metrics, commodity)
    if constant:
        return _frame(con, constant_world_sql(cols, declared.current()), [commodity, start, end] * 2, release=release)
    return _frame(
        con,
        f"SELECT commodity_code, commodity, country_code, country, market_year, unit, {cols} "
        "FROM obt_world_metrics WHERE commodity_code = ? AND market_year BETWEEN ? AND ? "
        "ORDER BY market_year",
        [commodity, start, end], release=release
    )


@cached
def country_series(con, metrics, country_codes, start, end, commodity=None, release=None):
    """Return metrics by country and market year for the given countries."""
    commodity = scope.code(commodity)
    cols = scope.metric_list(metrics, commodity)
    codes = [c for c in country_codes if c != WORLD]
    return _frame(
        con,
        f"SELECT commodity_code, commodity, country_code, country, market_year, unit, {cols} "
        "FROM obt_commodity_metrics WHERE commodity_code = ? "
        "AND list_contains(?, country_code) AND market_year BETWEEN ? AND ? "
        "ORDER BY country_code, market_year",
        [commodity, codes, start, end], release=release
    )


@cached
def series(con, metrics, country_codes, start, end, commodity=None, constant=False, release=None):
    """Return metrics for countries and, when WORLD is listed, world totals (constant: fixed coverage)."""
    commodity = scope.code(commodity)
    frames = []
    if any(c != WORLD for c in country_codes):
        frames.append(country_series.uncached(con, tuple(metrics), tuple(country_codes), start, end, commodity,
                                               release=release))
    if WORLD in country_codes:
        frames.append(world_series.uncached(con, tuple(metrics), start, end, commodity, constant,
                                             release=release))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


@cached
def top_countries(con, metric, year, limit, commodity=None, release=None):
    """Return the largest countries by metric in one market year."""
    commodity = scope.code(commodity)
    col = scope.metric(metric, commodity)
    return _frame(
        con,
        f"SELECT country_code, country, {col} AS value FROM obt_commodity_metrics "
        f"WHERE commodity_code = ? AND market_year = ? AND {col} IS NOT NULL "
        f"ORDER BY {col} DESC, country_code LIMIT ?",
        [commodity, year, int(limit)], release=release
    )


@cached
def market_share(con, metric, country_codes, start, end, commodity=None, release=None):
    """Return each country's metric next to the world's, with its share in percent."""
    commodity = scope.code(commodity)
    col = scope.metric(metric, commodity)
    # Shares of a ratio (stocks-to-use, yield) mean nothing: leave them NULL.
    share = (
        f"CASE WHEN w.{col} = 0 THEN NULL ELSE 100 * c.{col} / w.{col} END"
        if scope.summed(col, commodity) else "CAST(NULL AS DOUBLE)"
    )
    return _frame(
        con,
        f"SELECT c.country_code, c.country, c.market_year, c.{col} AS value, w.{col} AS world_value, "
        f"{share} AS share_pct "
        "FROM obt_commodity_metrics c JOIN obt_world_metrics w "
        "ON w.commodity_code = c.commodity_code AND w.market_year = c.market_year "
        "WHERE c.commodity_code = ? AND list_contains(?, c.country_code) AND c.market_year BETWEEN ? AND ? "
        "ORDER BY c.country_code, c.market_year",
        [commodity, list(country_codes), start, end], release=release
    )


@cached
def yoy_change(con, metric, country_codes, start, end, commodity=None, release=None):
    """Return metric by country and year with its change on the market year before."""
    commodity = scope.code(commodity)
    col = scope.stored(scope.metric(metric, commodity), commodity)
    return _frame(
        con,
        f"""
        WITH s AS (
            SELECT country_code, country, market_year, {col} AS value,
                   lag({col}) OVER w AS prev_value, lag(market_year) OVER w AS prev_year
            FROM obt_commodity_metrics
            WHERE commodity_code = ? AND list_contains(?, country_code)
            WINDOW w AS (PARTITION BY country_code ORDER BY market_year)
        )
        SELECT country_code, country, market_year, value,
               CASE WHEN prev_year = market_year - 1 THEN prev_value END AS previous,
               CASE WHEN prev_year = market_year - 1 THEN value - prev_value END AS change,
               CASE WHEN prev_year = market_year - 1 AND prev_value <> 0
                    THEN 100 * (value - prev_value) / abs(prev_value) END AS change_pct
        FROM s WHERE market_year BETWEEN ? AND ?
        ORDER BY country_code, market_year
        """,
        [commodity, list(country_codes), start, end], release=release
    )


@cached
def import_dependency(con, country_codes, start, end, commodity=None, columns=("imports", "domestic_consumption"),
                      release=None):
    """Return imports, domestic consumption (of one form when given) and imports as % of consumption."""
    commodity = scope.code(commodity)
    imports, use = (scope.metric(c, commodity) for c in columns)
    return _frame(
        con,
        f"SELECT country_code, country, market_year, {imports} AS imports, {use} AS domestic_consumption, "
        f"CASE WHEN {use} = 0 THEN NULL ELSE 100 * {imports} / {use} END "
        "AS dependency_pct FROM obt_commodity_metrics "
        "WHERE commodity_code = ? AND list_contains(?, country_code) AND market_year BETWEEN ? AND ? "
        "ORDER BY country_code, market_year",
        [commodity, list(country_codes), start, end], release=release
    )


@cached
def volatility(con, metric, country_codes, start, end, window, commodity=None, release=None):
    """Return the rolling coefficient of variation (sample sd / mean, %) over window years."""
    commodity = scope.code(commodity)
    col = scope.stored(scope.metric(metric, commodity), commodity)
    window = int(window)
    if not 2 <= window <= 50:
        raise ValueError("window must be between 2 and 50 years")
    return _frame(
        con,
        f"""
        WITH s AS (
            SELECT country_code, country, market_year, {col} AS value,
                   avg({col}) OVER w AS rolling_mean, stddev_samp({col}) OVER w AS rolling_sd,
                   count({col}) OVER w AS years
            FROM obt_commodity_metrics
            WHERE commodity_code = $1 AND list_contains($2, country_code)
            WINDOW w AS (PARTITION BY country_code ORDER BY market_year
                         RANGE BETWEEN $3 PRECEDING AND CURRENT ROW)
        )
        SELECT country_code, country, market_year, value, rolling_mean, rolling_sd,
               CASE WHEN years = $4 AND rolling_mean > 0 THEN 100 * rolling_sd / rolling_mean END AS cv_pct
        FROM s WHERE market_year BETWEEN $5 AND $6
        ORDER BY country_code, market_year
        """,
        # Numbered: DuckDB binds the WINDOW clause's parameter out of text order.
        [commodity, list(country_codes), window - 1, window, start, end], release=release
    )


@cached
def ranks(con, metrics, country_code, start, end, commodity=None, release=None):
    """Return a country's rank by each metric among countries with a positive value, by year."""
    commodity = scope.code(commodity)
    cols = [scope.metric(m, commodity) for m in metrics]
    if not cols or any(c not in RANKED_METRICS for c in cols):
        raise ValueError(f"ranks exist for {', '.join(RANKED_METRICS)}")
    parts = ", ".join(f"m.{c}, r.{c}_rank, r.{c}_count" for c in cols)
    return _frame(
        con,
        # The export ranks every year once (obt_country_ranks); this is an indexed lookup.
        f"SELECT m.country_code, m.country, m.market_year, {parts} "
        "FROM obt_commodity_metrics m JOIN obt_country_ranks r USING (commodity_code, country_code, market_year) "
        "WHERE m.commodity_code = ? AND m.country_code = ? AND m.market_year BETWEEN ? AND ? ORDER BY m.market_year",
        [commodity, country_code, start, end], release=release
    )


@cached
def trade_pool(con, year, limit, commodity=None, columns=("exports", "imports"), release=None):
    """Return the largest exporters and importers of a year (of one form when given), the rest summed as OTHER."""
    commodity = scope.code(commodity)
    exports, imports = (scope.metric(c, commodity) for c in columns)
    return _frame(
        con,
        f"""
        WITH flows AS (
            SELECT 'exports' AS side, country_code, country, {exports} AS value
            FROM obt_commodity_metrics WHERE commodity_code = ? AND market_year = ? AND {exports} > 0
            UNION ALL
            SELECT 'imports' AS side, country_code, country, {imports} AS value
            FROM obt_commodity_metrics WHERE commodity_code = ? AND market_year = ? AND {imports} > 0
        ),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY side ORDER BY value DESC, country_code) AS position,
                   sum(value) OVER (PARTITION BY side) AS total
            FROM flows
        )
        SELECT side,
               CASE WHEN position <= ? THEN country_code ELSE 'OTHER' END AS country_code,
               CASE WHEN position <= ? THEN country ELSE 'Other' END AS country,
               sum(value) AS value, any_value(total) AS world_value,
               100 * sum(value) / any_value(total) AS share_pct, min(position) AS position
        FROM ranked GROUP BY 1, 2, 3 ORDER BY side, position
        """,
        [commodity, year, commodity, year, int(limit), int(limit)], release=release
    )


@cached
def drawdown(con, year, threshold_pct, commodity=None, release=None):
    """Return countries whose ending stocks fell by more than threshold_pct on the year before."""
    commodity = scope.code(commodity)
    return _frame(
        con,
        """
        SELECT c.country_code, c.country, c.market_year,
               p.ending_stocks AS previous_ending_stocks, c.ending_stocks,
               """ + CHANGE_PCT + """ AS change_pct,
               c.stocks_to_use_pct
        FROM obt_commodity_metrics c JOIN obt_commodity_metrics p
          ON p.commodity_code = c.commodity_code AND p.country_code = c.country_code
         AND p.market_year = c.market_year - 1
        WHERE c.commodity_code = ? AND c.market_year = ? AND """ + FELL_MORE_THAN + """
        ORDER BY change_pct, c.country_code
        """,
        [commodity, year, float(threshold_pct)], release=release
    )


@cached
def trade_year(con, year, commodity=None, release=None):
    """Return every trading country's exports, imports, net position and import dependency in a year."""
    commodity = scope.code(commodity)
    return _frame(
        con,
        "SELECT country_code, country, market_year, exports, imports, net_exports, domestic_consumption, "
        "CASE WHEN domestic_consumption = 0 THEN NULL ELSE 100 * imports / domestic_consumption END "
        "AS dependency_pct FROM obt_commodity_metrics "
        "WHERE commodity_code = ? AND market_year = ? AND (exports > 0 OR imports > 0) "
        "ORDER BY exports DESC, imports DESC, country_code",
        [commodity, year], release=release
    )
