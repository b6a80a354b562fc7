"""SQL that pivots long PSD values into the serving tables' metric columns, from the commodity declarations.

Metric names come from the declarations (an allow-list), never from input. The export registers two small
tables beside the values: `declared_attributes` (commodity_code, attribute_id, metric, volume_unit) and
`reporter_covers` (aggregate, member, first_year, last_year: data/reference/reporters.py).
"""
import pyarrow as pa

from data.reference import reporters
from data.schema import RANKED_METRICS


def declared_tables(catalog):
    """Return {name: Arrow table} the SQL below joins: each commodity's attributes, and the reporters' covers."""
    rows = [(c.code, a.id, a.metric, c.volume_unit) for c in catalog for a in c.attributes]
    aggregates, members, firsts, lasts = reporters.cover_rows()
    return {
        "declared_attributes": pa.table({
            "commodity_code": [r[0] for r in rows], "attribute_id": pa.array([r[1] for r in rows], pa.int32()),
            "metric": [r[2] for r in rows], "volume_unit": [r[3] for r in rows]}),
        "reporter_covers": pa.table({"aggregate": aggregates, "member": members,
                                     "first_year": pa.array(firsts, pa.int32()),
                                     "last_year": pa.array(lasts, pa.int32())}),
    }


def _by_commodity(catalog, expression):
    """Return a SQL expression choosing, per commodity, expression(commodity) (the same for all: no CASE)."""
    found = {}
    for commodity in catalog:
        found.setdefault(expression(commodity), []).append(commodity.code)
    if len(found) == 1:
        return next(iter(found))
    cases = " ".join(f"WHEN commodity_code IN ({', '.join(repr(str(c)) for c in codes)}) THEN {sql}"
                     for sql, codes in found.items())
    return f"CASE {cases} END"


def _stocks_to_use(catalog, world):
    """Return the stocks_to_use_pct expression over metric columns: 100 x numerator / use, NULL when use is 0."""
    def rule(commodity):
        stu = commodity.stocks_to_use
        use = " + ".join(stu.world_use if world else stu.country_use)
        return f"CASE WHEN {use} = 0 THEN NULL ELSE 100 * {stu.numerator} / ({use}) END"
    return _by_commodity(catalog, rule)


def derived(catalog, world=False):
    """Return the SELECT list of the derived metrics over metric columns (a country's, or the world's)."""
    return f"exports - imports AS net_exports, {_stocks_to_use(catalog, world)} AS stocks_to_use_pct"


def aggregates(catalog, where="in_world"):
    """Return the SELECT list totalling every metric over the rows where `where` holds.

    A summed metric adds the rows; a ratio (yield, milling rate) is sum(numerator) / sum(denominator) over the
    rows holding both, per the commodity's declaration.
    """
    columns = []
    for metric in catalog.base_metrics:
        def total(commodity, metric=metric):
            if metric not in commodity.metrics:
                return "CAST(NULL AS DOUBLE)"
            a = commodity.attribute(metric)
            if a.summed:
                return f"sum({metric}) FILTER (WHERE {where})"
            both = f"{where} AND {a.numerator} IS NOT NULL AND {a.denominator} IS NOT NULL"
            return (f"{a.scale!r} * sum({a.numerator}) FILTER (WHERE {both}) / "
                    f"nullif(sum({a.denominator}) FILTER (WHERE {both}), 0)")
        columns.append(f"{_by_commodity(catalog, total)} AS {metric}")
    return ",\n".join(columns)


def metrics_sql(source, target, catalog, key=""):
    """Return SQL creating target, one row per commodity, country and year, from long values in source.

    key is "" or "release_id, " to keep one set of rows per release. Every country gets a row for every market
    year of its commodity; a country-year whose whole balance sheet is zero (or absent, as in USDA's own file)
    did not report: reported is false and its metrics NULL. in_world is false where the country did not report,
    or where an aggregate covering it (the EU, the USSR, ...) reported that year: totals skip such rows.
    """
    # By attribute id (the dictionary gives each id one metric), among the ids the row's commodity declares.
    pivot = ",\n".join(f"max(value) FILTER (WHERE attribute_id = {int(i)} AND d.metric IS NOT NULL) AS {m}"
                        for i, m in catalog.attribute_metrics.items())
    reported = ",\n".join(f"CASE WHEN v.reported THEN v.{m} END AS {m}" for m in catalog.base_metrics)
    return f"""
        CREATE TABLE {target} AS
        WITH pivoted AS (
            SELECT {key}commodity_code, any_value(commodity) AS commodity,
                   country_code, any_value(country) AS country,
                   CAST(market_year AS INTEGER) AS market_year, any_value(d.volume_unit) AS unit,
                   coalesce(bool_or(value <> 0), false) AS reported,
                   {pivot}
            FROM {source} LEFT JOIN declared_attributes d USING (commodity_code, attribute_id)
            GROUP BY {key}commodity_code, country_code, market_year
        ),
        years AS (SELECT DISTINCT {key}commodity_code, market_year FROM pivoted),
        places AS (
            SELECT {key}commodity_code, any_value(commodity) AS commodity, country_code,
                   arg_max(country, market_year) AS country, any_value(unit) AS unit
            FROM pivoted GROUP BY {key}commodity_code, country_code
        ),
        kept AS (
            SELECT {key}commodity_code, p.commodity, country_code, p.country, market_year,
                   coalesce(v.unit, p.unit) AS unit, coalesce(v.reported, false) AS reported,
                   {reported}
            FROM places p JOIN years y USING ({key}commodity_code)
            LEFT JOIN pivoted v USING ({key}commodity_code, country_code, market_year)
        ),
        covered AS (
            SELECT DISTINCT {key}k.commodity_code, k.market_year, c.member AS country_code
            FROM kept k JOIN reporter_covers c
              ON k.country_code = c.aggregate AND k.market_year BETWEEN c.first_year AND c.last_year
            WHERE k.reported
        )
        SELECT k.*, k.reported AND c.country_code IS NULL AS in_world, {derived(catalog)}
        FROM kept k LEFT JOIN covered c USING ({key}commodity_code, market_year, country_code)
        ORDER BY {key}commodity_code, country_code, market_year
        """


def world_sql(source, target, catalog, key=""):
    """Return SQL creating target, the world totals of the country rows in source (counted once each)."""
    return f"""
        CREATE TABLE {target} AS
        WITH summed AS (
            SELECT {key}commodity_code, any_value(commodity) AS commodity,
                   'WORLD' AS country_code, 'World' AS country,
                   market_year, any_value(unit) AS unit,
                   count(*) FILTER (WHERE in_world) AS reporting_countries,
                   {aggregates(catalog)}
            FROM {source}
            GROUP BY {key}commodity_code, market_year
        )
        SELECT *, {derived(catalog, world=True)}
        FROM summed
        ORDER BY {key}commodity_code, market_year
        """


def ranks_select():
    """Return the SELECT list ranking each ranked metric among countries with a positive value, per year."""
    return ", ".join(
        f"CASE WHEN {c} > 0 THEN rank() OVER (PARTITION BY commodity_code, market_year, {c} > 0 ORDER BY {c} DESC) "
        f"END AS {c}_rank, count(*) FILTER (WHERE {c} > 0) OVER (PARTITION BY commodity_code, market_year) "
        f"AS {c}_count"
        for c in RANKED_METRICS
    )


def constant_world_sql(columns, catalog):
    """Return SQL of world totals over the countries reporting in every year of a range.

    Parameters: commodity, start, end, commodity, start, end. columns are allow-listed names.
    """
    return f"""
        WITH kept AS (
            SELECT country_code FROM obt_commodity_metrics
            WHERE commodity_code = ? AND market_year BETWEEN ? AND ?
            GROUP BY country_code HAVING bool_and(reported)
        ),
        summed AS (
            SELECT commodity_code, any_value(commodity) AS commodity, 'WORLD' AS country_code,
                   'World' AS country, market_year, any_value(unit) AS unit,
                   count(*) FILTER (WHERE in_world) AS reporting_countries, {aggregates(catalog)}
            FROM obt_commodity_metrics
            WHERE commodity_code = ? AND market_year BETWEEN ? AND ?
              AND country_code IN (SELECT country_code FROM kept)
            GROUP BY commodity_code, market_year
        ),
        derived AS (SELECT *, {derived(catalog, world=True)} FROM summed)
        SELECT commodity_code, commodity, country_code, country, market_year, unit, reporting_countries, {columns}
        FROM derived ORDER BY market_year
        """


def coverage_sql(values, metrics, target):
    """Return SQL creating target: per commodity, country and year, whether it reported, its attributes, its change."""
    return f"""
        CREATE TABLE {target} AS
        WITH attrs AS (
            SELECT commodity_code, country_code, CAST(market_year AS INTEGER) AS market_year,
                   list_sort(list_distinct(list(CAST(attribute_id AS INTEGER)))) AS attribute_ids
            FROM {values} WHERE value IS NOT NULL GROUP BY ALL
        )
        SELECT m.commodity_code, m.country_code, m.country, m.market_year, m.reported,
               CASE WHEN m.reported THEN a.attribute_ids END AS attribute_ids,
               CASE WHEN m.market_year = min(m.market_year) OVER (PARTITION BY m.commodity_code) THEN NULL
                    WHEN m.reported AND NOT lag(m.reported) OVER w THEN 'enter'
                    WHEN NOT m.reported AND lag(m.reported) OVER w THEN 'leave' END AS change
        FROM {metrics} m LEFT JOIN attrs a USING (commodity_code, country_code, market_year)
        WINDOW w AS (PARTITION BY m.commodity_code, m.country_code ORDER BY m.market_year)
        ORDER BY m.commodity_code, m.market_year, m.country_code
        """
