"""Serving tables of the World Bank Pink Sheet: the newest edition's prices, every edition's, and the editions."""
import pyarrow as pa

from data.lake import prices as prices_lake
from data.sources.prices import ARROW_SCHEMA

TABLES = ("prices_monthly", "prices_monthly_history", "prices_releases")
# A month is revised when an edition publishes another number for it: beyond the last digits a spreadsheet's
# round trip through text can move (1.2361304340000001 read back as 1.236130434).
REVISED = "abs({new} - {old}) > 1e-12 * greatest(abs({new}), abs({old}))"

_RELEASES = pa.schema([("release_id", pa.string()), ("loaded_at", pa.string()), ("source", pa.string()),
                       ("source_kind", pa.string()), ("rows", pa.int64()), ("snapshot_id", pa.int64())])


def export(con, config):
    """Create the price serving tables on con from the Iceberg prices table (empty without a config or a load)."""
    build(con, *(prices_lake.collect(config) if config is not None else (None, [], None)))


def build(con, history, found, current=None):
    """Create the price serving tables on con from every edition's prices (None: none loaded, empty tables).

    current is the edition prices_monthly serves: the newest.
    """
    if history is None:
        history = pa.schema([("release_id", pa.string()), *ARROW_SCHEMA]).empty_table()
    releases = pa.table({name: [release.get(name) for release in found] for name in _RELEASES.names},
                        schema=_RELEASES)
    con.register("prices_history_in", history)
    con.register("prices_releases_in", releases)
    con.execute("""
        CREATE TABLE prices_monthly_history AS
        SELECT release_id, series, month, value, unit FROM prices_history_in ORDER BY release_id, series, month
    """)
    con.execute(f"""
        CREATE TABLE prices_releases AS
        WITH listed AS (
            SELECT release_id, CAST(left(loaded_at, 19) AS TIMESTAMP) AS loaded_at, source, source_kind,
                   rows, snapshot_id, lag(release_id) OVER (ORDER BY release_id) AS previous_release_id
            FROM prices_releases_in
        )
        SELECT l.*,
               CASE WHEN l.previous_release_id IS NOT NULL THEN (
                SELECT count(*) FROM prices_monthly_history a JOIN prices_monthly_history b
                  ON a.series = b.series AND a.month = b.month
                WHERE a.release_id = l.release_id AND b.release_id = l.previous_release_id
                  AND {REVISED.format(new='a.value', old='b.value')}) END AS revised_values,
               (SELECT max(month) FROM prices_monthly_history h WHERE h.release_id = l.release_id) AS last_month
        FROM listed l ORDER BY release_id
    """)
    con.execute("""
        CREATE TABLE prices_monthly AS
        SELECT * EXCLUDE (release_id) FROM prices_monthly_history WHERE release_id = ? ORDER BY series, month
    """, [current])
    con.unregister("prices_history_in")
    con.unregister("prices_releases_in")
