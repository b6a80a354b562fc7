"""NOAA's Oceanic Niño Index in Iceberg: one table, one tagged snapshot per release."""
from datetime import datetime, timezone

import pyarrow as pa
from pyiceberg.schema import Schema
from pyiceberg.types import DoubleType, IntegerType, NestedField, StringType

from data.lake import iceberg
from data.lake.guards import LoadRefused
from data.sources import enso as enso_parse

TABLE = "noaa.oni_seasons"
SCHEMA = Schema(
    NestedField(1, "season", StringType(), required=True),
    NestedField(2, "year", IntegerType(), required=True),
    NestedField(3, "season_index", IntegerType(), required=True),
    NestedField(4, "total", DoubleType(), required=True),
    NestedField(5, "oni", DoubleType(), required=True),
    identifier_field_ids=[2, 3],
)


def open_table(config, create=False):
    """Return the ONI table, or None when nothing was loaded and create is False."""
    return iceberg.open_source_table(config, TABLE, SCHEMA, create)


def _guard(table, arrow):
    """Refuse a file that covers fewer seasons than the last release (a truncated download)."""
    if table.current_snapshot() is None:
        return
    old = table.scan().to_arrow()
    if arrow.num_rows < old.num_rows:
        raise LoadRefused(f"the file holds {arrow.num_rows} seasons, the last release {old.num_rows}: "
                          "a shorter record looks truncated (--force loads it anyway)")


def write(config, arrow, source, kind, force=False, release_id=None):
    """Write arrow as a release (one tagged snapshot) unless its content is the last load's; return the summary."""
    table = open_table(config, create=True)
    digest = enso_parse.content_hash(arrow)
    loads = iceberg.load_history(table)
    summary = {"rows": arrow.num_rows, "kind": kind, "first": _season(arrow, 0), "last": _season(arrow, -1)}
    if loads and loads[-1]["content_hash"] == digest:
        return {**summary, "new": False, "release_id": loads[-1]["release_id"], "snapshot_id": None, "serving": None}
    if not force:
        _guard(table, arrow)
    release_id = release_id or enso_parse.release_id(arrow)
    props = {f"{iceberg.PROP}{key}": value for key, value in {
        "source": str(source), "source_kind": kind, "rows": str(arrow.num_rows), "release_id": release_id,
        "content_hash": digest, "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}.items()}
    if table.current_snapshot() is None:
        table.append(arrow, snapshot_properties=props)
    else:
        table.overwrite(arrow, snapshot_properties=props)
    snapshot_id = table.refresh().current_snapshot().snapshot_id
    iceberg.tag(table, release_id, snapshot_id)
    return {**summary, "new": True, "release_id": release_id, "snapshot_id": snapshot_id}


def _season(arrow, row):
    """Return 'SEAS YYYY' of one row."""
    return f"{arrow.column('season')[row].as_py()} {arrow.column('year')[row].as_py()}"


def collect(config):
    """Return (Arrow seasons of every release with a release_id column, release dicts, the last load's release).

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
    return pa.concat_tables(parts), found, iceberg.load_history(table)[-1]["release_id"]
