"""Build serving.duckdb from the Iceberg table into a temp file and swap it in."""
import os
from pathlib import Path

import duckdb
import pyarrow as pa

from data import enso_export, enso_store, iceberg, releases
from data.obt_sql import coverage_sql, metrics_sql, ranks_select, world_sql
from data.schema import ATTRIBUTES, SERVING_NAME


class ExportError(Exception):
    """The Iceberg table has nothing to export."""


def build(con, values, loads, history=None, enso=(None, [], None)):
    """Create the serving tables on con from Arrow values, the load history and the releases.

    history is (Arrow values of every release with a release_id column, release dicts);
    without it, values are the one release of the last load. enso is enso_store.collect's answer.
    """
    history = history or releases.single(values, loads[-1])
    con.register("psd_values", values)
    con.execute(metrics_sql("psd_values", "obt_commodity_metrics"))
    con.execute(world_sql("obt_commodity_metrics", "obt_world_metrics"))
    con.execute(coverage_sql("psd_values", "obt_commodity_metrics", "obt_coverage"))
    con.execute(
        f"""
        CREATE TABLE obt_other_attributes AS
        SELECT commodity_code, commodity, country_code, country, CAST(market_year AS INTEGER) AS market_year,
               attribute_id, attribute, unit, value
        FROM psd_values WHERE attribute_id NOT IN ({", ".join(str(int(a)) for a in ATTRIBUTES)})
        ORDER BY ALL
        """
    )
    con.unregister("psd_values")
    con.execute(
        f"""
        CREATE TABLE obt_country_ranks AS
        SELECT commodity_code, country_code, market_year, {ranks_select()}
        FROM obt_commodity_metrics
        ORDER BY commodity_code, country_code, market_year
        """
    )
    con.register("load_meta", _load_table(loads))
    con.execute("CREATE TABLE load_metadata AS SELECT * FROM load_meta ORDER BY loaded_at, snapshot_id")
    con.unregister("load_meta")
    releases.build(con, *history)
    enso_export.build(con, *enso)
    con.execute("CREATE INDEX obt_key ON obt_commodity_metrics (commodity_code, country_code, market_year)")
    con.execute("CREATE INDEX obt_ranks_key ON obt_country_ranks (commodity_code, country_code, market_year)")


def _load_table(loads):
    """Return load_metadata rows as Arrow."""
    column = lambda name: [load.get(name, "") for load in loads]  # noqa: E731
    return pa.table(
        {
            "source": column("source"),
            "source_kind": column("source_kind"),
            "loaded_at": pa.array(column("loaded_at")).cast(pa.timestamp("s", tz="UTC")).cast(pa.timestamp("s")),
            "rows": pa.array(column("rows"), pa.int64()),
            "snapshot_id": pa.array(column("snapshot_id"), pa.int64()),
            "commodities": column("commodities"),
            "release_id": column("release_id"),
            "unknown_country_codes": column("unknown_country_codes"),
            "unmapped_attributes": column("unmapped_attributes"),
        }
    )


SERVING_TABLES = ("obt_commodity_metrics", "obt_world_metrics", "obt_country_ranks", "obt_coverage", "load_metadata",
                  "obt_other_attributes", *releases.TABLES, *enso_export.TABLES)


def is_current(path):
    """Return True when the serving file at path holds every table this version serves."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            names = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    except duckdb.Error:
        return False
    return set(SERVING_TABLES) <= names


def check(path, release_id):
    """Raise ExportError unless the file at path opens, holds every serving table and serves release_id."""
    if not is_current(path):
        raise ExportError(f"the new serving file lacks tables of {', '.join(SERVING_TABLES)}; not swapped in")
    with duckdb.connect(str(path), read_only=True) as con:
        latest, values = con.execute("SELECT max(release_id), (SELECT count(*) FROM obt_commodity_metrics) "
                                     "FROM releases").fetchone()
    if latest != release_id or not values:
        raise ExportError(f"the new serving file serves release {latest} with {values} rows, not release "
                          f"{release_id}; not swapped in")


def export(config, progress=None):
    """Write serving.duckdb from the current Iceberg snapshot; return its path."""
    data_dir = Path(config["BEANFLOWS_DATA_DIR"])
    table = iceberg.open_table(iceberg.open_catalog(config))
    if table is None or table.current_snapshot() is None:
        raise ExportError("the Iceberg table has no data yet: run `flask --app app ingest` first")
    values = iceberg.scan(table)
    loads = iceberg.load_history(table)
    history = releases.collect(table, values, progress)
    enso = enso_store.collect(config)
    target = data_dir / SERVING_NAME
    tmp = data_dir / f".{SERVING_NAME}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("BEGIN")
            build(con, values, loads, history, enso)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        check(tmp, history[1][-1]["release_id"])
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
