"""Build serving.duckdb from the Iceberg tables into a temp file and swap it in."""
import os
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from data import commodities as declared
from data.lake import enso as enso_lake
from data.lake import iceberg
from data.schema import SERVING_NAME
from data.serving import enso_tables, prices_tables, releases
from data.serving.metrics_sql import coverage_sql, declared_tables, ranks_select
from data.sources.psd import ARROW_SCHEMA

SERVING_TABLES = ("obt_commodity_metrics", "obt_world_metrics", "obt_country_ranks", "obt_coverage", "load_metadata",
                  "obt_other_attributes", *releases.TABLES, *enso_tables.TABLES)
# Columns a serving file written by an older version lacks: `ingest --if-empty` rebuilds such a file.
REQUIRED_COLUMNS = {"releases": "commodity_code", "obt_commodity_metrics": "in_world",
                    "load_metadata": "commodity_code"}


class ExportError(Exception):
    """The Iceberg table has nothing to export, or the file built is not fit to serve."""


def build(con, history, found, current, loads, catalog, enso=(None, [], None)):
    """Create every serving table on con.

    history: Arrow values of every release served, with a release_id column; found: their release dicts
    (commodity_code, release_id, ...); current: {commodity code: the release obt_commodity_metrics serves};
    loads: iceberg.load_history; enso: enso_lake.collect's answer.
    """
    for name, table in declared_tables(catalog).items():
        con.register(name, table)
    releases.build(con, history, found, catalog)
    con.register("current_releases", pa.table({"commodity_code": list(current), "release_id": list(current.values())}))
    for table in ("obt_commodity_metrics", "obt_world_metrics"):
        con.execute(f"CREATE TABLE {table} AS SELECT * EXCLUDE (release_id) FROM {table}_history "
                    "SEMI JOIN current_releases USING (commodity_code, release_id)")
    con.register("psd_history", history)
    con.execute("CREATE TEMP VIEW psd_values AS SELECT * EXCLUDE (release_id) FROM psd_history "
                "SEMI JOIN current_releases USING (commodity_code, release_id)")
    con.execute(coverage_sql("psd_values", "obt_commodity_metrics", "obt_coverage"))
    con.execute(
        """
        CREATE TABLE obt_other_attributes AS
        SELECT commodity_code, commodity, country_code, country, CAST(market_year AS INTEGER) AS market_year,
               attribute_id, attribute, unit, value
        FROM psd_values ANTI JOIN declared_attributes USING (commodity_code, attribute_id)
        ORDER BY ALL
        """
    )
    con.execute("DROP VIEW psd_values")
    con.execute(f"CREATE TABLE obt_country_ranks AS SELECT commodity_code, country_code, market_year, {ranks_select()} "
                "FROM obt_commodity_metrics ORDER BY commodity_code, country_code, market_year")
    con.register("load_meta", _load_table(loads, set(catalog.codes)))
    con.execute("CREATE TABLE load_metadata AS SELECT * FROM load_meta ORDER BY loaded_at, snapshot_id, commodity_code")
    for name in ("load_meta", "psd_history", "current_releases", *declared_tables(catalog)):
        con.unregister(name)
    enso_tables.build(con, *enso)
    con.execute("CREATE INDEX obt_key ON obt_commodity_metrics (commodity_code, country_code, market_year)")
    con.execute("CREATE INDEX obt_ranks_key ON obt_country_ranks (commodity_code, country_code, market_year)")


def build_values(con, values, catalog=None, source="test", release_id=None, loaded_at=None):
    """Create the serving tables on con from Arrow values alone: one release per commodity in them."""
    catalog = catalog or declared.current()
    loaded_at = loaded_at or datetime(2024, 5, 1, tzinfo=timezone.utc)
    codes = sorted(set(values.column("commodity_code").to_pylist()))
    ids = {code: release_id or loaded_at.strftime("%Y-%m") for code in codes}
    found = [{"commodity_code": code, "release_id": ids[code], "loaded_at": loaded_at, "source": source,
              "source_kind": "file", "rows": 0, "snapshot_id": 1} for code in codes]
    load = {"snapshot_id": 1, "source": source, "source_kind": "file", "loaded_at": loaded_at, "rows": values.num_rows,
            "commodities": ",".join(codes), "releases": ids, "rows_by": {}}
    history = pa.concat_tables([releases.with_release(values.filter(pc.equal(values["commodity_code"], c)),
                                                      ids[c]) for c in codes])
    build(con, history, found, ids, [load], catalog)
    return con


def _load_table(loads, codes):
    """Return load_metadata rows as Arrow: one per load and declared commodity it wrote."""
    rows = [{**load, "commodity_code": code, "release_id": release_id, "rows": load["rows_by"].get(code, load["rows"])}
            for load in loads for code, release_id in sorted(load["releases"].items()) if code in codes]
    column = lambda name: [row.get(name, "") for row in rows]  # noqa: E731
    return pa.table(
        {
            "source": column("source"),
            "source_kind": column("source_kind"),
            "loaded_at": pa.array(column("loaded_at")).cast(pa.timestamp("s", tz="UTC")).cast(pa.timestamp("s")),
            "rows": pa.array(column("rows"), pa.int64()),
            "snapshot_id": pa.array(column("snapshot_id"), pa.int64()),
            "commodity_code": column("commodity_code"),
            "release_id": column("release_id"),
            "commodities": column("commodities"),
            "unknown_country_codes": column("unknown_country_codes"),
            "unmapped_attributes": column("unmapped_attributes"),
        }
    )


def is_current(path):
    """Return True when the serving file at path holds every table (and column) this version serves."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            columns = con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall()
    except duckdb.Error:
        return False
    names = {table for table, _ in columns}
    return set(SERVING_TABLES) <= names and all((t, c) in set(columns) for t, c in REQUIRED_COLUMNS.items())


def check(path, latest):
    """Raise ExportError unless the file at path opens, holds every serving table and serves the latest releases.

    latest: {commodity code: the release id it must serve as its latest}.
    """
    if not is_current(path):
        raise ExportError(f"the new serving file lacks tables of {', '.join(SERVING_TABLES)}; not swapped in")
    with duckdb.connect(str(path), read_only=True) as con:
        served = dict(con.execute("SELECT commodity_code, max(release_id) FROM releases GROUP BY ALL").fetchall())
        values = con.execute("SELECT count(*) FROM obt_commodity_metrics").fetchall()[0][0]
    if served != latest or not values:
        raise ExportError(f"the new serving file serves releases {served} with {values} rows, not {latest}; "
                          "not swapped in")


def _current_values(table, codes, fresh):
    """Return the current rows of codes: fresh's (rows of the snapshot just written, still in memory) where given,
    read from Iceberg for the others."""
    if fresh is None or table.current_snapshot().snapshot_id != fresh[0]:
        return iceberg.scan(table, codes).cast(ARROW_SCHEMA)
    held = [code for code in codes if code in set(pc.unique(fresh[1]["commodity_code"]).to_pylist())]
    parts = [fresh[1].filter(pc.is_in(fresh[1]["commodity_code"], pa.array(held))).replace_schema_metadata(None)]
    others = [code for code in codes if code not in held]
    return pa.concat_tables(parts + ([iceberg.scan(table, others).cast(ARROW_SCHEMA)] if others else []))


def export(config, progress=None, fresh=None):
    """Write serving.duckdb from the current Iceberg snapshot; return its path.

    fresh: (snapshot id, Arrow rows) a load just wrote: used instead of reading them back while that snapshot
    is still the current one.
    """
    data_dir = Path(config["BEANFLOWS_DATA_DIR"])
    table = iceberg.open_table(iceberg.open_catalog(config))
    if table is None or table.current_snapshot() is None:
        raise ExportError("the Iceberg table has no data yet: run `flask --app app ingest` first")
    catalog = declared.for_config(config)
    values = _current_values(table, list(catalog.codes), fresh)
    if values.num_rows == 0:
        raise ExportError("the Iceberg table holds no declared commodity: run `flask --app app ingest` first")
    history, found, current = releases.collect(table, values, set(catalog.codes), progress)
    del values  # history holds the current rows too
    latest = {}
    for release in found:
        latest[release["commodity_code"]] = max(latest.get(release["commodity_code"], ""), release["release_id"])
    enso = enso_lake.collect(config)
    target = data_dir / SERVING_NAME
    tmp = data_dir / f".{SERVING_NAME}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("BEGIN")
            build(con, history, found, current, iceberg.load_history(table), catalog, enso)
            prices_tables.export(con, config)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        check(tmp, latest)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
