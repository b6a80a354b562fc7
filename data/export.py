"""Build serving.duckdb from the Iceberg table into a temp file and swap it in."""
import os
from pathlib import Path

import duckdb
import pyarrow as pa

from data import iceberg
from data.schema import ATTRIBUTES, BASE_METRICS, RANKED_METRICS, SERVING_NAME


class ExportError(Exception):
    """The Iceberg table has nothing to export."""


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


def _ranks():
    """Return the SELECT list ranking each ranked metric among countries with a positive value, per year."""
    return ", ".join(
        f"CASE WHEN {c} > 0 THEN rank() OVER (PARTITION BY commodity_code, market_year, {c} > 0 ORDER BY {c} DESC) "
        f"END AS {c}_rank, count(*) FILTER (WHERE {c} > 0) OVER (PARTITION BY commodity_code, market_year) "
        f"AS {c}_count"
        for c in RANKED_METRICS
    )


def build(con, values, loads):
    """Create the serving tables on con from Arrow values and the load history."""
    con.register("psd_values", values)
    con.execute(
        f"""
        CREATE TABLE obt_commodity_metrics AS
        WITH pivoted AS (
            SELECT commodity_code, any_value(commodity) AS commodity,
                   country_code, any_value(country) AS country,
                   CAST(market_year AS INTEGER) AS market_year,
                   coalesce(max(unit) FILTER (WHERE attribute_id = 28), any_value(unit)) AS unit,
                   {_pivot_columns()}
            FROM psd_values
            GROUP BY commodity_code, country_code, market_year
        )
        SELECT *,
               exports - imports AS net_exports,
               CASE WHEN domestic_consumption + exports = 0 THEN NULL
                    ELSE 100 * ending_stocks / (domestic_consumption + exports) END
                   AS stocks_to_use_pct
        FROM pivoted
        ORDER BY commodity_code, country_code, market_year
        """
    )
    con.execute(
        f"""
        CREATE TABLE obt_world_metrics AS
        WITH summed AS (
            SELECT commodity_code, any_value(commodity) AS commodity,
                   'WORLD' AS country_code, 'World' AS country,
                   market_year, any_value(unit) AS unit,
                   {_sums()}
            FROM obt_commodity_metrics
            GROUP BY commodity_code, market_year
        )
        SELECT *,
               exports - imports AS net_exports,
               CASE WHEN domestic_consumption = 0 THEN NULL
                    ELSE 100 * ending_stocks / domestic_consumption END AS stocks_to_use_pct
        FROM summed
        ORDER BY commodity_code, market_year
        """
    )
    con.unregister("psd_values")
    con.execute(
        f"""
        CREATE TABLE obt_country_ranks AS
        SELECT commodity_code, country_code, market_year, {_ranks()}
        FROM obt_commodity_metrics
        ORDER BY commodity_code, country_code, market_year
        """
    )
    meta = pa.table(
        {
            "source": [l["source"] for l in loads],
            "source_kind": [l["source_kind"] for l in loads],
            "loaded_at": pa.array([l["loaded_at"] for l in loads]).cast(pa.timestamp("s", tz="UTC")).cast(pa.timestamp("s")),
            "rows": pa.array([l["rows"] for l in loads], pa.int64()),
            "snapshot_id": pa.array([l["snapshot_id"] for l in loads], pa.int64()),
            "commodities": [l["commodities"] for l in loads],
        }
    )
    con.register("load_meta", meta)
    con.execute("CREATE TABLE load_metadata AS SELECT * FROM load_meta ORDER BY loaded_at, snapshot_id")
    con.unregister("load_meta")
    con.execute("CREATE INDEX obt_key ON obt_commodity_metrics (commodity_code, country_code, market_year)")
    con.execute("CREATE INDEX obt_ranks_key ON obt_country_ranks (commodity_code, country_code, market_year)")


SERVING_TABLES = ("obt_commodity_metrics", "obt_world_metrics", "obt_country_ranks", "load_metadata")


def is_current(path):
    """Return True when the serving file at path holds every table this version serves."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            names = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    except duckdb.Error:
        return False
    return set(SERVING_TABLES) <= names


def export(config):
    """Write serving.duckdb from the current Iceberg snapshot; return its path."""
    data_dir = Path(config["BEANFLOWS_DATA_DIR"])
    table = iceberg.open_table(iceberg.open_catalog(config))
    if table is None or table.current_snapshot() is None:
        raise ExportError("the Iceberg table has no data yet: run `flask --app app ingest` first")
    values = iceberg.scan(table)
    loads = iceberg.load_history(table)
    target = data_dir / SERVING_NAME
    tmp = data_dir / f".{SERVING_NAME}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("BEGIN")
            build(con, values, loads)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
