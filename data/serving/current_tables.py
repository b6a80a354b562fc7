"""The serving tables of each commodity's latest release (built whole, or replaced for the commodities a new
release changed) and load_metadata."""
import pyarrow as pa

from data.serving.metrics_sql import coverage_sql, declared_tables, ranks_select


def build(con, history, current, loads, catalog, changed=None):
    """Create the tables of each commodity's latest release and load_metadata on con.

    changed: the commodities whose coverage and other attributes are replaced in tables that exist (None: all,
    tables created); history must hold their latest releases' values.
    """
    con.register("current_releases", pa.table({"commodity_code": list(current), "release_id": list(current.values())}))
    for table in ("obt_commodity_metrics", "obt_world_metrics"):
        con.execute(f"CREATE TABLE {table} AS SELECT * EXCLUDE (release_id) FROM {table}_history "
                    "SEMI JOIN current_releases USING (commodity_code, release_id)")
    con.register("psd_history", history)
    con.register("changed_codes", pa.table({"commodity_code": pa.array(changed or [], pa.string())}))
    only = "" if changed is None else "SEMI JOIN changed_codes USING (commodity_code)"
    con.execute("CREATE TEMP VIEW psd_values AS SELECT * EXCLUDE (release_id) FROM psd_history "
                f"SEMI JOIN current_releases USING (commodity_code, release_id) {only}")
    con.execute(f"CREATE TEMP VIEW changed_metrics AS SELECT * FROM obt_commodity_metrics {only}")
    made = {"obt_coverage": coverage_sql("psd_values", "changed_metrics", "{target}"),
            "obt_other_attributes": _OTHER_ATTRIBUTES_SQL}
    for table, sql in made.items():
        if changed is None:
            con.execute(sql.replace("{target}", table))
            continue
        con.execute(sql.replace("{target}", f"added_{table}").replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
        con.execute(f"DELETE FROM {table} WHERE commodity_code IN (SELECT commodity_code FROM changed_codes)")
        con.execute(f"INSERT INTO {table} SELECT * FROM added_{table}")
        con.execute(f"DROP TABLE added_{table}")
    con.execute("DROP VIEW psd_values")
    con.execute("DROP VIEW changed_metrics")
    con.execute(f"CREATE TABLE obt_country_ranks AS SELECT commodity_code, country_code, market_year, {ranks_select()} "
                "FROM obt_commodity_metrics ORDER BY commodity_code, country_code, market_year")
    con.register("load_meta", load_table(loads, set(catalog.codes)))
    con.execute("CREATE TABLE load_metadata AS SELECT * FROM load_meta ORDER BY loaded_at, snapshot_id, commodity_code")
    for name in ("load_meta", "psd_history", "current_releases", "changed_codes", *declared_tables(catalog)):
        con.unregister(name)
    con.execute("CREATE INDEX obt_key ON obt_commodity_metrics (commodity_code, country_code, market_year)")
    con.execute("CREATE INDEX obt_ranks_key ON obt_country_ranks (commodity_code, country_code, market_year)")


_OTHER_ATTRIBUTES_SQL = """
    CREATE TABLE {target} AS
    SELECT commodity_code, commodity, country_code, country, CAST(market_year AS INTEGER) AS market_year,
           attribute_id, attribute, unit, value
    FROM psd_values ANTI JOIN declared_attributes USING (commodity_code, attribute_id)
    ORDER BY ALL
"""


def load_table(loads, codes):
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
