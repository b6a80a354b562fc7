"""SQL on the ONI serving tables: seasons, ENSO releases, the phase of each country's market years, anomalies."""
from data.reference import enso_rule
from data.serving.as_of import scoped
from data.queries import scope
from data.schema import WORLD
from data.serving.reader import cached

# Seasons of the latest ENSO release, or of the release bound as the first parameter.
_LATEST = "SELECT season, year, season_index, total, oni FROM enso_seasons"
_RELEASE = "SELECT season, year, season_index, total, oni FROM enso_seasons_history WHERE release_id = ?"


def _seasons(enso_release):
    """Return (SQL of the seasons CTE, its parameters) for an ENSO release (None: the latest)."""
    return (_LATEST, []) if enso_release is None else (_RELEASE, [enso_release])


@cached
def releases(con):
    """Return the ENSO releases, oldest first: release_id, loaded_at, rows, revised_seasons, last_season, source."""
    return con.execute("SELECT release_id, loaded_at, rows, revised_seasons, last_season, source, source_kind "
                       "FROM enso_releases ORDER BY release_id").df()


@cached
def latest_release(con):
    """Return the id of the latest ENSO release, None while none is loaded."""
    return con.execute("SELECT max(release_id) FROM enso_releases").fetchone()[0]


@cached
def seasons(con, start, end, enso_release=None):
    """Return the seasons of years start..end (None: open) as season, year, oni, total, in order."""
    sql, params = _seasons(enso_release)
    return con.execute(
        f"WITH s AS ({sql}) SELECT season, year, oni, total FROM s "
        "WHERE year >= coalesce(?, year) AND year <= coalesce(?, year) ORDER BY year, season_index",
        [*params, start, end]).df()


# Per season: NOAA's episode flag (1 El Niño, -1 La Niña, 0 neither). Seasons are numbered by their centre
# month (m); a run is a maximal stretch of consecutive seasons on one side of the threshold.
_PHASES_SQL = """
WITH s AS ({seasons}),
flagged AS (
    SELECT year * 12 + season_index - 1 AS m, oni,
           CASE WHEN oni >= ? THEN 1 WHEN oni <= -? THEN -1 ELSE 0 END AS side
    FROM s
),
runs AS (SELECT *, m - row_number() OVER (PARTITION BY side ORDER BY m) AS run FROM flagged),
episodes AS (
    SELECT m, oni, CASE WHEN side <> 0 AND count(*) OVER (PARTITION BY side, run) >= ? THEN side ELSE 0 END AS episode
    FROM runs
),
countries AS (SELECT unnest(?) AS country_code, unnest(?) AS start_month),
-- Market year Y's window starts at month (Y - 1) * 12 + start_month - 1: each season falls in exactly one window.
placed AS (
    SELECT c.country_code, CAST((e.m - c.start_month + 1) // 12 + 1 AS INTEGER) AS market_year, e.oni, e.episode
    FROM countries c CROSS JOIN episodes e
),
counted AS (
    SELECT country_code, market_year, avg(oni) AS oni, count(*) AS seasons,
           count(*) FILTER (WHERE episode = 1) AS el_nino_seasons,
           count(*) FILTER (WHERE episode = -1) AS la_nina_seasons
    FROM placed WHERE market_year BETWEEN ? AND ?
    GROUP BY country_code, market_year
    HAVING count(*) = 12
)
SELECT country_code, market_year, round(oni, 4) AS oni, el_nino_seasons, la_nina_seasons,
       CASE WHEN el_nino_seasons >= ? AND el_nino_seasons > la_nina_seasons THEN ?
            WHEN la_nina_seasons >= ? AND la_nina_seasons > el_nino_seasons THEN ?
            ELSE ? END AS phase
FROM counted ORDER BY country_code, market_year
"""


@cached
def phases(con, country_codes, start, end, enso_release=None, commodity=None):
    """Return the ENSO phase of each country's market years (of a commodity: slug or code, None the default)
    start..end whose 12-season window is complete.

    Columns: country_code, market_year, oni (the window's mean), el_nino_seasons, la_nina_seasons, phase.
    """
    sql, params = _seasons(enso_release)
    codes = list(country_codes)
    declared = scope.commodity(commodity)
    months = [enso_rule.start_month(code, declared)[0] for code in codes]
    rule = enso_rule
    return con.execute(_PHASES_SQL.format(seasons=sql), [
        *params, rule.THRESHOLD, rule.THRESHOLD, rule.EPISODE_SEASONS, codes, months, start, end,
        rule.PHASE_MIN_SEASONS, rule.EL_NINO, rule.PHASE_MIN_SEASONS, rule.LA_NINA, rule.NEUTRAL]).df()


# Production against its centred 5-year mean (the trend): only where all five years reported.
_ANOMALY_SQL = """
WITH p AS (
    SELECT market_year, production,
           avg(production) OVER w AS trend, count(production) OVER w AS years
    FROM {table} WHERE commodity_code = ? {country}
    WINDOW w AS (ORDER BY market_year RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING)
)
SELECT market_year, production, CASE WHEN years = 5 THEN trend END AS trend,
       CASE WHEN years = 5 AND trend <> 0 THEN 100 * (production - trend) / trend END AS anomaly_pct
FROM p WHERE market_year BETWEEN ? AND ? ORDER BY market_year
"""


@cached
def production_anomaly(con, country_code, start, end, commodity=None, release=None):
    """Return market_year, production, trend (centred 5-year mean) and anomaly_pct of a country or WORLD."""
    commodity = scope.code(commodity)
    if country_code == WORLD:
        sql, params = _ANOMALY_SQL.format(table="obt_world_metrics", country=""), [commodity, start, end]
    else:
        sql = _ANOMALY_SQL.format(table="obt_commodity_metrics", country="AND country_code = ?")
        params = [commodity, country_code, start, end]
    return con.execute(*scoped(sql, params, release)).df()
