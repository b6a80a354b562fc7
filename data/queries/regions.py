"""Regional totals: a region's reporting countries totalled per market year, beside the country and world queries."""
import pandas as pd

from data import commodities as declared
from data.queries import metrics as queries
from data.queries import scope
from data.reference import regions
from data.serving.as_of import scoped
from data.serving.metrics_sql import aggregates, derived
from data.serving.reader import cached

# A region is totalled like the world (countries that did not report, or that an aggregate reporting the same
# year covers, are skipped), but its stocks-to-use is a country's: exports leave the region.
# Parameters: $1 region names and $2 country codes (parallel lists: the membership table), $3 commodity,
# $4 start, $5 end, $6 regions asked for, $7 constant coverage, $8 every code the table knows.
REGION_SQL = """
    WITH membership AS (
        SELECT unnest($1::VARCHAR[]) AS region, unnest($2::VARCHAR[]) AS country_code
        UNION ALL
        SELECT 'Unassigned' AS region, country_code FROM obt_commodity_metrics
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
        SELECT commodity_code, any_value(commodity) AS commodity, 'REGION:' || region AS country_code,
               region AS country, market_year, any_value(unit) AS unit,
               count(*) FILTER (WHERE in_world) AS reporting_countries, {sums}
        FROM picked JOIN kept USING (region, country_code)
        GROUP BY commodity_code, region, market_year
    )
    SELECT *, {derived} FROM summed
    """


def region_sql(catalog):
    """Return REGION_SQL with the catalog's totals and derived metrics."""
    return REGION_SQL.replace("{sums}", aggregates(catalog)).replace("{derived}", derived(catalog))


@cached
def region_series(con, metrics, names, start, end, commodity=None, constant=False, release=None):
    """Return regional totals of metrics by market year (constant: over countries reporting every year)."""
    found = scope.commodity(commodity)
    commodity = found.code
    cols = scope.metric_list(metrics, commodity)
    offered = regions.of(found.regions)
    names = [regions.name_of(n) for n in names]
    if None in names or any(name not in offered for name in names):
        raise ValueError(f"known regions of {found.slug} are required: {', '.join(offered)}")
    region_names, codes = regions.membership(found.regions)
    sql = (f"SELECT commodity_code, commodity, country_code, country, market_year, unit, reporting_countries, {cols} "
           f"FROM ({region_sql(declared.current())}) ORDER BY list_position($6::VARCHAR[], country), market_year")
    params = [region_names, codes, commodity, start, end, names, bool(constant), sorted(regions.COUNTRY_REGIONS)]
    return con.execute(*scoped(sql, params, release)).df()


def _split(codes):
    """Return (country and WORLD codes, region names) of a list of codes, in order."""
    names = [regions.name_of(c) for c in codes if regions.is_region(c)]
    return [c for c in codes if not regions.is_region(c)], names


@cached
def series(con, metrics, codes, start, end, commodity=None, constant=False, release=None):
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
def import_dependency(con, codes, start, end, commodity=None, columns=("imports", "domestic_consumption"),
                      release=None):
    """Return imports, domestic consumption and imports as % of consumption, for countries and regions."""
    places, names = _split(codes)
    frames = []
    if places:
        frames.append(queries.import_dependency.uncached(con, tuple(places), start, end, commodity, tuple(columns),
                                                         release=release))
    if names:
        imports, use = (scope.metric(c, commodity) for c in columns)
        totals = region_series.uncached(con, (imports, use), tuple(names), start, end, commodity, release=release)
        share = (100 * totals[imports] / totals[use].where(totals[use] != 0)).astype("float64")
        frames.append(pd.DataFrame({"country_code": totals["country_code"], "country": totals["country"],
                                    "market_year": totals["market_year"], "imports": totals[imports],
                                    "domestic_consumption": totals[use], "dependency_pct": share}))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
