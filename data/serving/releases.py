"""Serving tables for USDA releases, per commodity: the values each release published and what it revised."""
import pyarrow as pa
import pyarrow.compute as pc

from data.lake import iceberg
from data.serving.metrics_sql import metrics_sql, world_sql
from data.sources.psd import ARROW_SCHEMA

TABLES = ("releases", "obt_commodity_metrics_history", "obt_world_metrics_history", "revisions")
KEY = ("commodity_code", "country_code", "market_year", "attribute_id")


def served(found, latest):
    """Return the releases to serve: all, less a commodity's demo ones once real data of it has replaced them.

    found: iceberg.commodity_releases; latest: iceberg.latest_loads.
    """
    real = {code for code, load in latest.items() if load["source_kind"] != "demo"}
    return [r for r in found if not (r["commodity_code"] in real and r["source_kind"] == "demo")]


def current(found):
    """Return {commodity code: its latest release id}: the highest one, whatever order the loads committed in."""
    latest = {}
    for release in found:
        code = release["commodity_code"]
        latest[code] = max(latest.get(code, ""), release["release_id"])
    return latest


def listing(table, codes):
    """Return (release dicts served, {code: its last load}, {code: its latest release id}) of the codes given."""
    latest = {code: load for code, load in iceberg.latest_loads(table).items() if code in codes}
    found = [r for r in served(iceberg.commodity_releases(table), latest) if r["commodity_code"] in codes]
    return found, latest, current(found)


def read(table, values, found, latest, progress=None):
    """Return the Arrow values of the releases found, with a release_id column.

    values: the table's current rows (each commodity's last load), used instead of reading that snapshot back.
    """
    parts = []
    for number, release in enumerate(found, start=1):
        code = release["commodity_code"]
        if progress:
            progress(f"reading release {code} {release['release_id']} ({number}/{len(found)})")
        # The table's current rows of code are those of its last load, which a late older release may be.
        if latest[code]["snapshot_id"] == release["snapshot_id"]:
            rows = values.filter(pc.equal(values["commodity_code"], code))
        else:
            rows = iceberg.scan_at(table, release["snapshot_id"], [code]).cast(ARROW_SCHEMA)
        parts.append(with_release(rows, release["release_id"]))
    return pa.concat_tables(parts)


def collect(table, values, codes, progress=None):
    """Return (Arrow values of every release served with a release_id column, release dicts, current releases).

    Only the commodities of codes (the declared ones) are served; the catalog keeps the others.
    """
    found, latest, now = listing(table, codes)
    return read(table, values, found, latest, progress), found, now


def with_release(rows, release_id):
    """Return rows with a leading release_id column."""
    rows = rows.replace_schema_metadata(None)
    return rows.add_column(0, "release_id", pa.array([release_id] * rows.num_rows, pa.string()))


def build(con, history, found, catalog):
    """Create releases, the per-release metric tables and revisions on con (declared tables registered)."""
    con.register("psd_history", history)
    con.execute(metrics_sql("psd_history", "obt_commodity_metrics_history", catalog, key="release_id, "))
    con.execute(world_sql("obt_commodity_metrics_history", "obt_world_metrics_history", catalog, key="release_id, "))
    con.register("release_list", _release_table(found))
    con.execute(_REVISIONS_SQL.format(target="revisions"))
    con.execute(_RELEASES_SQL)
    con.unregister("psd_history")
    con.unregister("release_list")
    con.execute("CREATE INDEX obt_history_key ON obt_commodity_metrics_history "
                "(release_id, commodity_code, country_code, market_year)")


def add(con, added, needed, found, catalog):
    """Add releases to the tables build made on con: their metrics, their revisions and the next ones', the list.

    added: Arrow values of the new (or re-issued) releases; needed: values of those releases, the ones after
    them and the ones before those (what their revisions compare); found: every release served.
    """
    keys = keys_of(added)
    release_list = _release_table(found)
    after = {(c, n) for c, n, p in zip(*(release_list[k].to_pylist() for k in
                                         ("commodity_code", "release_id", "previous_release_id")))
             if (c, n) in keys or (c, p) in keys}
    for table, pairs in (("obt_commodity_metrics_history", keys), ("obt_world_metrics_history", keys),
                         ("revisions", after)):
        con.register("dropped", pa.table({"commodity_code": [c for c, _ in pairs],
                                          "release_id": [r for _, r in pairs]}))
        con.execute(f"DELETE FROM {table} t USING dropped d "
                    "WHERE t.commodity_code = d.commodity_code AND t.release_id = d.release_id")
        con.unregister("dropped")
    con.register("psd_added", added)
    con.execute(metrics_sql("psd_added", "added_metrics", catalog, key="release_id, ").replace(
        "CREATE TABLE", "CREATE TEMP TABLE", 1))
    con.execute(world_sql("added_metrics", "added_world", catalog, key="release_id, ").replace(
        "CREATE TABLE", "CREATE TEMP TABLE", 1))
    con.execute("INSERT INTO obt_commodity_metrics_history SELECT * FROM added_metrics")
    con.execute("INSERT INTO obt_world_metrics_history SELECT * FROM added_world")
    con.register("psd_history", needed)
    con.register("release_list", release_list.filter(pa.array(
        [(c, n) in after for c, n in zip(release_list["commodity_code"].to_pylist(),
                                         release_list["release_id"].to_pylist())])))
    con.execute(_REVISIONS_SQL.format(target="added_revisions").replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
    con.execute("INSERT INTO revisions SELECT * FROM added_revisions")
    con.register("release_list", release_list)
    con.execute("DROP TABLE releases")
    con.execute(_RELEASES_SQL)
    for name in ("added_metrics", "added_world", "added_revisions"):
        con.execute(f"DROP TABLE {name}")
    for name in ("psd_added", "psd_history", "release_list"):
        con.unregister(name)


def keys_of(values):
    """Return the (commodity code, release id) pairs in values."""
    pairs = values.select(["commodity_code", "release_id"]).group_by(["commodity_code", "release_id"]).aggregate([])
    return set(zip(pairs["commodity_code"].to_pylist(), pairs["release_id"].to_pylist()))


_RELEASES_SQL = """
    CREATE TABLE releases AS
    SELECT l.commodity_code, l.release_id, l.loaded_at, l.source, l.source_kind, l.rows, l.snapshot_id,
           CASE WHEN l.previous_release_id IS NULL THEN NULL ELSE count(r.kind) END AS changed_values,
           count(r.kind) FILTER (WHERE r.kind = 'revised') AS revised_values,
           count(r.kind) FILTER (WHERE r.kind = 'new') AS new_values,
           count(r.kind) FILTER (WHERE r.kind = 'dropped') AS dropped_values,
           l.previous_release_id, l.unknown_country_codes, l.unmapped_attributes
    FROM release_list l LEFT JOIN revisions r USING (commodity_code, release_id)
    GROUP BY l.commodity_code, l.release_id, l.loaded_at, l.source, l.source_kind, l.rows, l.snapshot_id,
             l.previous_release_id, l.unknown_country_codes, l.unmapped_attributes
    ORDER BY l.commodity_code, l.release_id
"""


def _release_table(found):
    """Return the releases as Arrow, each with the id of the one before it of the same commodity."""
    column = lambda name: [release.get(name, "") for release in found]  # noqa: E731
    codes, ids = column("commodity_code"), column("release_id")
    previous = [ids[n - 1] if n and codes[n - 1] == codes[n] else None for n in range(len(found))]
    return pa.table(
        {
            "commodity_code": codes,
            "release_id": ids,
            "loaded_at": pa.array(column("loaded_at")).cast(pa.timestamp("s", tz="UTC")).cast(pa.timestamp("s")),
            "source": column("source"),
            "source_kind": column("source_kind"),
            "rows": pa.array(column("rows"), pa.int64()),
            "snapshot_id": pa.array(column("snapshot_id"), pa.int64()),
            "previous_release_id": pa.array(previous, pa.string()),
            "unknown_country_codes": column("unknown_country_codes"),
            "unmapped_attributes": column("unmapped_attributes"),
        }
    )


# Each value that differs between a release and the commodity's one before it. A value the earlier release did
# not have is 'new' (a new market year or country), not a change from zero. A country-year whose whole balance
# sheet is zero did not report (the serving tables' rule), so its values count as absent: comparing any two
# releases then gives the same answer.
_REVISIONS_SQL = f"""
    CREATE TABLE {{target}} AS
    WITH pairs AS (
        SELECT commodity_code, release_id, previous_release_id FROM release_list WHERE previous_release_id IS NOT NULL
    ),
    compared AS (
        SELECT commodity_code, release_id FROM pairs
        UNION SELECT commodity_code, previous_release_id FROM pairs
    ),
    reported AS (
        SELECT * FROM psd_history SEMI JOIN compared USING (commodity_code, release_id)
        QUALIFY bool_or(value <> 0) OVER (PARTITION BY release_id, commodity_code, country_code, market_year)
    ),
    after AS (
        SELECT h.*, p.release_id AS pair FROM reported h JOIN pairs p USING (commodity_code, release_id)
    ),
    before AS (
        SELECT h.*, p.release_id AS pair FROM reported h
        JOIN pairs p ON h.commodity_code = p.commodity_code AND h.release_id = p.previous_release_id
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
    FROM joined j JOIN pairs p USING (commodity_code, release_id)
    LEFT JOIN declared_attributes m USING (commodity_code, attribute_id)
    ORDER BY j.release_id, j.commodity_code, j.country_code, j.market_year, j.attribute_id
"""
