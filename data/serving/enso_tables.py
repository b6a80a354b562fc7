"""Serving tables of NOAA's Oceanic Niño Index: the latest seasons, every release's seasons and the releases."""
import pyarrow as pa

from data.lake import enso as enso_lake
from data.sources.enso import ARROW_SCHEMA

TABLES = ("enso_seasons", "enso_seasons_history", "enso_releases")

_RELEASES = pa.schema([("release_id", pa.string()), ("loaded_at", pa.string()), ("source", pa.string()),
                       ("source_kind", pa.string()), ("rows", pa.int64()), ("snapshot_id", pa.int64())])


def build(con, history, found, current=None):
    """Create the ONI serving tables on con from every release's seasons (None: none loaded, empty tables).

    current is the release of the last load: the one enso_seasons serves.
    """
    if history is None:
        history = pa.schema([("release_id", pa.string()), *ARROW_SCHEMA]).empty_table()
    releases = pa.table({name: [release.get(name) for release in found] for name in _RELEASES.names},
                        schema=_RELEASES)
    con.register("enso_history_in", history)
    con.register("enso_releases_in", releases)
    con.execute("""
        CREATE TABLE enso_releases AS
        WITH listed AS (
            SELECT release_id, CAST(left(loaded_at, 19) AS TIMESTAMP) AS loaded_at, source, source_kind,
                   rows, snapshot_id, lag(release_id) OVER (ORDER BY release_id) AS previous_release_id
            FROM enso_releases_in
        )
        SELECT l.*,
               CASE WHEN l.previous_release_id IS NOT NULL THEN (
                SELECT count(*) FROM enso_history_in a JOIN enso_history_in b
                  ON a.year = b.year AND a.season_index = b.season_index
                WHERE a.release_id = l.release_id AND b.release_id = l.previous_release_id
                  AND a.oni <> b.oni) END AS revised_seasons,
               (SELECT min(year) FROM enso_history_in h WHERE h.release_id = l.release_id) AS first_year,
               (SELECT arg_max(season || ' ' || year, year * 100 + season_index)
                FROM enso_history_in h WHERE h.release_id = l.release_id) AS last_season
        FROM listed l ORDER BY release_id
    """)
    con.execute("""
        CREATE TABLE enso_seasons_history AS
        SELECT release_id, season, CAST(year AS INTEGER) AS year, CAST(season_index AS INTEGER) AS season_index,
               total, oni
        FROM enso_history_in ORDER BY release_id, year, season_index
    """)
    con.execute("""
        CREATE TABLE enso_seasons AS
        SELECT * EXCLUDE (release_id) FROM enso_seasons_history
        WHERE release_id = ?
        ORDER BY year, season_index
    """, [current])
    con.unregister("enso_history_in")
    con.unregister("enso_releases_in")


def export(con, config):
    """Create the ONI tables from the catalog (empty without a config: values-only builds)."""
    build(con, *(enso_lake.collect(config) if config is not None else (None, [], None)))
