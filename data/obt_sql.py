"""SQL that pivots long PSD values into the serving tables' metric columns."""
from data.schema import ATTRIBUTES, BASE_METRICS, RANKED_METRICS

# The world's derived columns over summed metric columns (world exports net out of use).
WORLD_DERIVED = """exports - imports AS net_exports,
               CASE WHEN domestic_consumption = 0 THEN NULL
                    ELSE 100 * ending_stocks / domestic_consumption END AS stocks_to_use_pct"""


def _pivot_columns():
    """Return the SELECT list pivoting attribute ids into metric columns."""
    # Ids and names come from the constant ATTRIBUTES map, never from input.
    return ",\n".join(
        f"max(value) FILTER (WHERE attribute_id = {int(attr_id)}) AS {name}"
        for attr_id, name in ATTRIBUTES.items()
    )


def _reported_columns():
    """Return the SELECT list keeping each metric only where the country-year reported."""
    return ",\n".join(f"CASE WHEN v.reported THEN v.{name} END AS {name}" for name in BASE_METRICS)


def _sums():
    """Return the SELECT list summing every metric column."""
    return ",\n".join(f"sum({name}) AS {name}" for name in BASE_METRICS)


def metrics_sql(source, target, key=""):
    """Return SQL creating target, one row per commodity, country and year, from long values in source.

    key is "" or "release_id, " to keep one set of rows per release. Every country gets a row
    for every market year of its commodity; a country-year whose whole balance sheet is zero
    (or absent, as in USDA's own file) did not report: reported is false and its metrics NULL.
    """
    return f"""
        CREATE TABLE {target} AS
        WITH pivoted AS (
            SELECT {key}commodity_code, any_value(commodity) AS commodity,
                   country_code, any_value(country) AS country,
                   CAST(market_year AS INTEGER) AS market_year,
                   coalesce(max(unit) FILTER (WHERE attribute_id = 28), any_value(unit)) AS unit,
                   coalesce(bool_or(value <> 0), false) AS reported,
                   {_pivot_columns()}
            FROM {source}
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
                   {_reported_columns()}
            FROM places p JOIN years y USING ({key}commodity_code)
            LEFT JOIN pivoted v USING ({key}commodity_code, country_code, market_year)
        )
        SELECT *,
               exports - imports AS net_exports,
               CASE WHEN domestic_consumption + exports = 0 THEN NULL
                    ELSE 100 * ending_stocks / (domestic_consumption + exports) END
                   AS stocks_to_use_pct
        FROM kept
        ORDER BY {key}commodity_code, country_code, market_year
        """


def world_sql(source, target, key=""):
    """Return SQL creating target, the world sums of the reporting country rows in source."""
    return f"""
        CREATE TABLE {target} AS
        WITH summed AS (
            SELECT {key}commodity_code, any_value(commodity) AS commodity,
                   'WORLD' AS country_code, 'World' AS country,
                   market_year, any_value(unit) AS unit,
                   count(*) FILTER (WHERE reported) AS reporting_countries,
                   {_sums()}
            FROM {source}
            GROUP BY {key}commodity_code, market_year
        )
        SELECT *, {WORLD_DERIVED}
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


def constant_world_sql(columns):
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
                   count(*) AS reporting_countries, {_sums()}
            FROM obt_commodity_metrics
            WHERE commodity_code = ? AND market_year BETWEEN ? AND ?
              AND country_code IN (SELECT country_code FROM kept)
            GROUP BY commodity_code, market_year
        ),
        derived AS (SELECT *, {WORLD_DERIVED} FROM summed)
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
