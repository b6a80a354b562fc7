"""Regional totals: a region's reporting countries summed per market year, beside the country and world queries."""
import pandas as pd

from data import queries, regions
from data.as_of import scoped
from data.schema import BASE_METRICS, COFFEE, check_metric
from data.serving import cached

# A region is summed like the world (countries that did not report are NULL and skipped), but its
# stocks-to-use is a country's: exports leave the region, so use is consumption plus exports.
REGION_DERIVED = """exports - imports AS net_exports,
               CASE WHEN domestic_consumption + exports = 0 THEN NULL
                    ELSE 100 * ending_stocks / (domestic_consumption + exports) END AS stocks_to_use_pct"""

SUMS = ", ".join(f"sum({name}) AS {name}" for name in BASE_METRICS)

# Parameters: $1 region names and $2 country codes (parallel lists: the membership table), $3 commodity,
# $4 start, $5 end, $6 regions asked for, $7 constant coverage, $8 every code the table knows.
REGION_SQL = f"""
    WITH membership AS (
        SELECT unnest($1::VARCHAR[]) AS region, unnest($2::VARCHAR[]) AS country_code
        UNION ALL
        SELECT '{regions.UNASSIGNED}' AS region, country_code FROM obt_commodity_metrics
        WHERE commodity_code = $3 AND NOT list_contains($8::VARCHAR[], country_code) GROUP BY country_code
    ),
    picked AS (
        SELECT m.region, c.* FROM obt_commodity_metrics c JOIN membership m USING (country_code)
        WHERE c.commodity_code = $3 AND c.market_year BETWEEN $4 AND $5 AND list_contains($6::VARCHAR[], m.region)
    ),
    kept AS (
        SELECT region, country_code FROM picked GROUP BY region, country_code HAVING bool_and(reported) OR NOT $7
    ),
    summed AS (
        SELECT commodity_code, any_value(commodity) AS commodity, '{regions.PREFIX}' || region AS country_code,
               region AS country, market_year, any_value(unit) AS unit,
               count(*) FILTER (WHERE reported) AS reporting_countries, {SUMS}
        FROM picked JOIN kept USING (region, country_code)
        GROUP BY commodity_code, region, market_year
    )
    SELECT *, {REGION_DERIVED} FROM summed
    """


@cached
def region_series(con, metrics, names, start, end, commodity=COFFEE, constant=False, release=None):
    """Return regional totals of metrics by market year (constant: over countries reporting every year)."""
    cols = ", ".join(check_metric(m) for m in metrics)
    names = [regions.name_of(n) for n in names]
    if not cols or None in names:
        raise ValueError("known regions and at least one metric are required")
    region_names, codes = regions.membership()
    sql = (f"SELECT commodity_code, commodity, country_code, country, market_year, unit, reporting_countries, {cols} "
           f"FROM ({REGION_SQL}) ORDER BY list_position($6::VARCHAR[], country), market_year")
    params = [region_names, codes, commodity, start, end, names, bool(constant), sorted(regions.COUNTRY_REGIONS)]
    return con.execute(*scoped(sql, params, release)).df()


def _split(codes):
    """Return (country and WORLD codes, region names) of a list of codes, in order."""
    names = [regions.name_of(c) for c in codes if regions.is_region(c)]
    return [c for c in codes if not regions.is_region(c)], names


@cached
def series(con, metrics, codes, start, end, commodity=COFFEE, constant=False, release=None):
    """Return metrics for countries, WORLD and REGION:<name> codes, in the order countries, world, regions."""
    places, names = _split(codes)
    frames = []
    if places:
        frames.append(queries.series.uncached(con, tuple(metrics), tuple(places), start, end, commodity, constant,
                                              release=release))
    if names:
        frame = region_series.uncached(con, tuple(metrics), tuple(names), start, end, commodity, constant,
                                       release=release)
        frames.append(frame.drop(columns="reporting_countries"))
    if not frames:
        raise ValueError("at least one country or region is required")
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


@cached
def import_dependency(con, codes, start, end, commodity=COFFEE, columns=("imports", "domestic_consumption"),
                      release=None):
    """Return imports, domestic consumption and imports as % of consumption, for countries and regions."""
    places, names = _split(codes)
    frames = []
    if places:
        frames.append(queries.import_dependency.uncached(con, tuple(places), start, end, commodity, tuple(columns),
                                                         release=release))
    if names:
        imports, use = (check_metric(c) for c in columns)
        totals = region_series.uncached(con, (imports, use), tuple(names), start, end, commodity, release=release)
        share = (100 * totals[imports] / totals[use].where(totals[use] != 0)).astype("float64")
        frames.append(pd.DataFrame({"country_code": totals["country_code"], "country": totals["country"],
                                    "market_year": totals["market_year"], "imports": totals[imports],
                                    "domestic_consumption": totals[use], "dependency_pct": share}))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
