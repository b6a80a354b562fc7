"""World Bank Pink Sheet prices in Iceberg: one table, one tagged snapshot per edition (release id YYYY-MM)."""
from datetime import datetime, timezone

import pyarrow as pa
from pyiceberg.schema import Schema
from pyiceberg.types import DoubleType, NestedField, StringType

from data.lake import iceberg
from data.lake.guards import LoadRefused
from data.sources import prices as prices_parse

TABLE = "worldbank.pink_sheet_monthly"
SCHEMA = Schema(
    NestedField(1, "series", StringType(), required=True),
    NestedField(2, "month", StringType(), required=True),
    NestedField(3, "value", DoubleType(), required=True),
    NestedField(4, "unit", StringType(), required=True),
    identifier_field_ids=[1, 2],
)


def open_table(config, create=False):
    """Return the prices table, or None when nothing was loaded and create is False."""
    return iceberg.open_source_table(config, TABLE, SCHEMA, create)


def _months_by_series(arrow):
    """Return {series: months with a price}."""
    counted = arrow.group_by("series").aggregate([("month", "count")])
    return dict(zip(counted["series"].to_pylist(), counted["month_count"].to_pylist()))


def _guard(table, loads, edition):
    """Refuse an edition newer than every loaded one that holds fewer months of a series (a truncated file)."""
    latest = max(loads, key=lambda load: load["release_id"])
    if edition.release_id < latest["release_id"]:
        return
    before = _months_by_series(iceberg.scan_at(table, latest["snapshot_id"]))
    now = _months_by_series(edition.arrow)
    shorter = sorted(s for s, count in before.items() if now.get(s, 0) < count)
    if shorter:
        raise LoadRefused(f"the edition holds fewer months of {', '.join(shorter)} than release "
                          f"{latest['release_id']}: a shorter record looks truncated (--force loads it anyway)")


def write(config, edition, source, kind, force=False):
    """Write an edition as its release (one tagged snapshot) unless that edition is loaded already; return a summary."""
    table = open_table(config, create=True)
    arrow = edition.arrow
    digest = prices_parse.content_hash(arrow)
    loads = iceberg.load_history(table)
    months = arrow.column("month")
    summary = {"rows": arrow.num_rows, "kind": kind, "first": min(months.to_pylist()), "last": max(months.to_pylist()),
               "series": len(set(arrow.column("series").to_pylist())), "release_id": edition.release_id}
    if any(load["release_id"] == edition.release_id and load["content_hash"] == digest for load in loads):
        return {**summary, "new": False, "snapshot_id": None, "serving": None}
    if loads and not force:
        _guard(table, loads, edition)
    props = {f"{iceberg.PROP}{key}": value for key, value in {
        "source": str(source), "source_kind": kind, "rows": str(arrow.num_rows), "release_id": edition.release_id,
        "updated": edition.updated, "content_hash": digest,
        "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}.items()}
    if table.current_snapshot() is None:
        table.append(arrow, snapshot_properties=props)
    else:
        table.overwrite(arrow, snapshot_properties=props)
    snapshot_id = table.refresh().current_snapshot().snapshot_id
    iceberg.tag(table, edition.release_id, snapshot_id)
    return {**summary, "new": True, "snapshot_id": snapshot_id}


def collect(config):
    """Return (Arrow prices of every release with a release_id column, release dicts, the newest release id).

    (None, [], None) while nothing is loaded.
    """
    table = open_table(config)
    if table is None or table.current_snapshot() is None:
        return None, [], None
    found = iceberg.releases(table)
    parts = []
    for release in found:
        rows = iceberg.scan_at(table, release["snapshot_id"]).replace_schema_metadata(None)
        parts.append(rows.add_column(0, "release_id", pa.array([release["release_id"]] * rows.num_rows)))
    return pa.concat_tables(parts), found, found[-1]["release_id"]
