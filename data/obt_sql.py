"""SQL that pivots long PSD values into the serving tables' metric columns."""
from data.schema import ATTRIBUTES, BASE_METRICS, RANKED_METRICS


def _pivot_columns():
    """Return the SELECT list pivoting attribute ids into metric columns."""
    # Ids and names come from the constant ATTRIBUTES map, never from input.
    return ",\n".join(
        f"max(value) FILTER (WHERE attribute_id = {int(attr_id)}) AS {name}"
        for attr_id, name in ATTRIBUTES.items()
    )


def _sums():
    """Return the SELECT list summing every metric column."""
    return ",\n".join(f"sum({name}) AS {name}" for name in BASE_METRICS)


def metrics_sql(source, target, key=""):
    """Return SQL creating target, one row per commodity, country and year, from long values in source.

    key is "" or "release_id, " to keep one set of rows per release.
    """
    return f"""
        CREATE TABLE {target} AS
        WITH pivoted AS (
            SELECT {key}commodity_code, any_value(commodity) AS commodity,
                   country_code, any_value(country) AS country,
                   CAST(market_year AS INTEGER) AS market_year,
                   coalesce(max(unit) FILTER (WHERE attribute_id = 28), any_value(unit)) AS unit,
                   {_pivot_columns()}
            FROM {source}
            GROUP BY {key}commodity_code, country_code, market_year
        )
        SELECT *,
               exports - imports AS net_exports,
               CASE WHEN domestic_consumption + exports = 0 THEN NULL
                    ELSE 100 * ending_stocks / (domestic_consumption + exports) END
                   AS stocks_to_use_pct
        FROM pivoted
        ORDER BY {key}commodity_code, country_code, market_year
        """


def world_sql(source, target, key=""):
    """Return SQL creating target, the world sums of the country rows in source."""
    return f"""
        CREATE TABLE {target} AS
        WITH summed AS (
            SELECT {key}commodity_code, any_value(commodity) AS commodity,
                   'WORLD' AS country_code, 'World' AS country,
                   market_year, any_value(unit) AS unit,
                   {_sums()}
            FROM {source}
            GROUP BY {key}commodity_code, market_year
        )
        SELECT *,
               exports - imports AS net_exports,
               CASE WHEN domestic_consumption = 0 THEN NULL
                    ELSE 100 * ending_stocks / domestic_consumption END AS stocks_to_use_pct
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
