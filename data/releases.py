"""Serving tables for USDA releases: the values each release published and what it revised."""
import pyarrow as pa

from data import iceberg
from data.obt_sql import metrics_sql, world_sql
from data.schema import ATTRIBUTES

TABLES = ("releases", "obt_commodity_metrics_history", "obt_world_metrics_history", "revisions")
KEY = ("commodity_code", "country_code", "market_year", "attribute_id")


def collect(table, values, progress=None):
    """Return (Arrow values of every release served with a release_id column, release dicts)."""
    found = served(iceberg.releases(table), iceberg.load_history(table))
    current = table.current_snapshot().snapshot_id
    parts = []
    for number, release in enumerate(found, start=1):
        if progress:
            progress(f"reading release {release['release_id']} ({number}/{len(found)})")
        rows = values if release["snapshot_id"] == current else iceberg.scan_at(table, release["snapshot_id"])
        parts.append(_with_release(rows, release["release_id"]))
    return pa.concat_tables(parts), found


def served(found, loads):
    """Return the releases to serve: all, less the demo ones once a load of real data has replaced them."""
    if loads and loads[-1]["source_kind"] != "demo":
        return [release for release in found if release["source_kind"] != "demo"]
    return found


def single(values, load):
    """Return the history of a table holding one release: values as published by load."""
    release = {**load, "release_id": load.get("release_id") or load["loaded_at"].strftime("%Y-%m")}
    return _with_release(values, release["release_id"]), [release]


def _with_release(rows, release_id):
    """Return rows with a leading release_id column."""
    rows = rows.replace_schema_metadata(None)
    return rows.add_column(0, "release_id", pa.array([release_id] * rows.num_rows, pa.string()))


def build(con, history, found):
    """Create releases, the per-release metric tables and revisions on con."""
    con.register("psd_history", history)
    con.execute(metrics_sql("psd_history", "obt_commodity_metrics_history", key="release_id, "))
    con.execute(world_sql("obt_commodity_metrics_history", "obt_world_metrics_history", key="release_id, "))
    con.register("release_list", _release_table(found))
    con.execute("CREATE TEMP TABLE metric_names AS SELECT * FROM (VALUES "
                + ", ".join(f"({int(a)}, '{name}')" for a, name in ATTRIBUTES.items())
                + ") AS t(attribute_id, metric)")
    con.execute(_REVISIONS_SQL)
    con.execute(
        """
        CREATE TABLE releases AS
        SELECT l.release_id, l.loaded_at, l.source, l.source_kind, l.rows, l.snapshot_id,
               CASE WHEN l.previous_release_id IS NULL THEN NULL ELSE count(r.kind) END AS changed_values,
               count(r.kind) FILTER (WHERE r.kind = 'revised') AS revised_values,
               count(r.kind) FILTER (WHERE r.kind = 'new') AS new_values,
               count(r.kind) FILTER (WHERE r.kind = 'dropped') AS dropped_values,
               l.previous_release_id, l.unknown_country_codes, l.unmapped_attributes
        FROM release_list l LEFT JOIN revisions r USING (release_id)
        GROUP BY l.release_id, l.loaded_at, l.source, l.source_kind, l.rows, l.snapshot_id,
                 l.previous_release_id, l.unknown_country_codes, l.unmapped_attributes
        ORDER BY l.release_id
        """
    )
    con.unregister("psd_history")
    con.unregister("release_list")
    con.execute("DROP TABLE metric_names")
    con.execute("CREATE INDEX obt_history_key ON obt_commodity_metrics_history "
                "(release_id, commodity_code, country_code, market_year)")


def _release_table(found):
    """Return the releases as Arrow, each with the id of the one before it."""
    column = lambda name: [release.get(name, "") for release in found]  # noqa: E731
    ids = column("release_id")
    return pa.table(
        {
            "release_id": ids,
            "loaded_at": pa.array(column("loaded_at")).cast(pa.timestamp("s", tz="UTC")).cast(pa.timestamp("s")),
            "source": column("source"),
            "source_kind": column("source_kind"),
            "rows": pa.array(column("rows"), pa.int64()),
            "snapshot_id": pa.array(column("snapshot_id"), pa.int64()),
            "previous_release_id": pa.array([None] + ids[:-1], pa.string()),
            "unknown_country_codes": column("unknown_country_codes"),
            "unmapped_attributes": column("unmapped_attributes"),
        }
    )


# Each value that differs between a release and the one before it. A value the earlier
# release did not have is 'new' (a new market year or country), not a change from zero.
# A country-year whose whole balance sheet is zero did not report (the serving tables' rule),
# so its values count as absent: comparing any two releases then gives the same answer.
_REVISIONS_SQL = f"""
    CREATE TABLE revisions AS
    WITH reported AS (
        SELECT * FROM psd_history
        QUALIFY bool_or(value <> 0) OVER (PARTITION BY release_id, commodity_code, country_code, market_year)
    ),
    pairs AS (
        SELECT release_id, previous_release_id FROM release_list WHERE previous_release_id IS NOT NULL
    ),
    after AS (
        SELECT h.*, p.release_id AS pair FROM reported h JOIN pairs p ON h.release_id = p.release_id
    ),
    before AS (
        SELECT h.*, p.release_id AS pair FROM reported h JOIN pairs p ON h.release_id = p.previous_release_id
    ),
    joined AS (
        SELECT coalesce(a.pair, b.pair) AS release_id,
               {", ".join(f"coalesce(a.{k}, b.{k}) AS {k}" for k in (*KEY, "commodity", "country", "attribute", "unit"))},
               b.value AS old_value, a.value AS new_value
        FROM after a FULL OUTER JOIN before b
          ON a.pair = b.pair AND {" AND ".join(f"a.{k} = b.{k}" for k in KEY)}
        WHERE a.value IS DISTINCT FROM b.value
    )
    SELECT j.release_id, p.previous_release_id, j.commodity_code, j.commodity, j.country_code, j.country,
           CAST(j.market_year AS INTEGER) AS market_year, j.attribute_id, j.attribute, m.metric, j.unit,
           j.old_value, j.new_value,
           j.new_value - j.old_value AS change,
           CASE WHEN j.old_value IS NULL OR j.new_value IS NULL OR j.old_value = 0 THEN NULL
                ELSE 100 * (j.new_value - j.old_value) / abs(j.old_value) END AS pct,
           CASE WHEN j.old_value IS NULL THEN 'new' WHEN j.new_value IS NULL THEN 'dropped'
                ELSE 'revised' END AS kind
    FROM joined j JOIN pairs p USING (release_id) LEFT JOIN metric_names m USING (attribute_id)
    ORDER BY j.release_id, j.commodity_code, j.country_code, j.market_year, j.attribute_id
"""
