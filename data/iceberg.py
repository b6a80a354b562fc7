"""The Iceberg system of record: catalog, table, one snapshot per load."""
import logging
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from pyiceberg.catalog import load_catalog
from pyiceberg.exceptions import (CommitFailedException, NamespaceAlreadyExistsError, NoSuchTableError,
                                  TableAlreadyExistsError, ValidationException)
from pyiceberg.expressions import In
from pyiceberg.io.pyarrow import _dataframe_to_data_files
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import IdentityTransform
from pyiceberg.types import DoubleType, IntegerType, NestedField, StringType

from data.guards import LoadRefused

log = logging.getLogger(__name__)

TABLE = "psd.commodity_values"
# Tries of a load whose commit another writer beat (each on the newer snapshot).
COMMIT_ATTEMPTS = 3
PROP = "beanflows."

SCHEMA = Schema(
    NestedField(1, "commodity_code", StringType(), required=True),
    NestedField(2, "commodity", StringType(), required=True),
    NestedField(3, "country_code", StringType(), required=True),
    NestedField(4, "country", StringType(), required=True),
    NestedField(5, "market_year", IntegerType(), required=True),
    NestedField(6, "attribute_id", IntegerType(), required=True),
    NestedField(7, "attribute", StringType(), required=True),
    NestedField(8, "unit", StringType(), required=True),
    NestedField(9, "value", DoubleType(), required=True),
    identifier_field_ids=[1, 3, 5, 6],
)
SPEC = PartitionSpec(
    PartitionField(source_id=1, field_id=1000, transform=IdentityTransform(), name="commodity_code")
)


# pyiceberg FileIO properties of an s3:// warehouse, by setting.
S3_PROPERTIES = {"ICEBERG_S3_ENDPOINT": "s3.endpoint", "ICEBERG_S3_REGION": "s3.region",
                 "ICEBERG_S3_ACCESS_KEY_ID": "s3.access-key-id",
                 "ICEBERG_S3_SECRET_ACCESS_KEY": "s3.secret-access-key"}
# Seconds: a bucket that stops answering fails a build soon, and the host keeps its last good file.
S3_TIMEOUTS = {"s3.connect-timeout": "5", "s3.request-timeout": "30"}


def catalog_properties(config):
    """Return pyiceberg catalog properties: configured, or SQLite under the data dir."""
    data_dir = Path(config["BEANFLOWS_DATA_DIR"])
    uri = config.get("ICEBERG_CATALOG_URI") or f"sqlite:///{data_dir / 'catalog.db'}"
    warehouse = config.get("ICEBERG_WAREHOUSE") or (data_dir / "warehouse").as_uri()
    props = {"uri": uri, "warehouse": warehouse}
    if uri.startswith(("sqlite:", "postgresql", "mysql")):
        props["type"] = "sql"
    if warehouse.startswith(("s3://", "s3a://")):
        props.update(S3_TIMEOUTS)
        props.update({prop: str(config[key]) for key, prop in S3_PROPERTIES.items() if config.get(key)})
    return props


def open_catalog(config):
    """Load the configured catalog, creating the local directories it needs."""
    data_dir = Path(config["BEANFLOWS_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    if not config.get("ICEBERG_WAREHOUSE"):
        (data_dir / "warehouse").mkdir(exist_ok=True)
    props = catalog_properties(config)
    if props["uri"].startswith("sqlite:"):
        return load_catalog("beanflows", **props)
    return _shared_catalog(tuple(sorted(props.items())))


@lru_cache(maxsize=8)
def _shared_catalog(props):
    """Return one catalog per server catalog's properties: a follower polling it keeps one connection pool."""
    return load_catalog("beanflows", **dict(props))


def open_table(catalog, create=False, name=TABLE, schema=SCHEMA, spec=SPEC):
    """Return the values table (or another named one), or None when it does not exist and create is False."""
    try:
        return catalog.load_table(name)
    except NoSuchTableError:
        if not create:
            return None
    try:
        catalog.create_namespace(name.split(".")[0])
    except NamespaceAlreadyExistsError:
        pass
    try:
        return catalog.create_table(name, schema=schema, partition_spec=spec)
    except TableAlreadyExistsError:  # another writer created it first
        return catalog.load_table(name)


def write_load(table, arrow, source, kind, release=None):
    """Replace the commodities in arrow with its rows as one snapshot; return its id.

    release holds the release id and what ingest noted (content hash, unknown codes,
    unmapped attributes); the snapshot is tagged with the release id.
    """
    release = release or {}
    codes = sorted(set(arrow.column("commodity_code").to_pylist()))
    props = {
        f"{PROP}source": str(source),
        f"{PROP}source_kind": kind,
        f"{PROP}loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        f"{PROP}rows": str(arrow.num_rows),
        f"{PROP}commodities": ",".join(codes),
        **{f"{PROP}{key}": str(value) for key, value in release.items()},
    }
    snapshot_id = write_snapshot(table, arrow, props)
    if release.get("release_id"):
        tag(table, release["release_id"], snapshot_id)
    return snapshot_id


def write_snapshot(table, arrow, props):
    """Replace the commodities in arrow with its rows as one snapshot carrying props; return its id."""
    codes = sorted(set(arrow.column("commodity_code").to_pylist()))
    arrow = arrow.replace_schema_metadata(None)
    stale = [task.file for task in table.scan(row_filter=In("commodity_code", codes)).plan_files()]
    with table.transaction() as tx:
        with tx.update_snapshot(snapshot_properties=props).overwrite() as snapshot:
            for data_file in stale:
                snapshot.delete_data_file(data_file)
            for data_file in _dataframe_to_data_files(
                table_metadata=tx.table_metadata, write_uuid=snapshot.commit_uuid, df=arrow, io=table.io
            ):
                snapshot.append_data_file(data_file)
    return table.refresh().current_snapshot().snapshot_id


def tag(table, name, snapshot_id):
    """Point the tag name at snapshot_id, moving it when a later load re-issues a release."""
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        table.refresh()
        try:
            if name in table.refs():
                table.manage_snapshots().remove_tag(name).commit()
            table.manage_snapshots().create_tag(snapshot_id, name).commit()
            return
        except CommitFailedException:
            if attempt == COMMIT_ATTEMPTS:
                raise


class ConcurrentLoad(LoadRefused):
    """Other writers committed to the table first, every time this load tried."""


def committed(write, what):
    """Return write(), run again when another writer's commit got in first (Iceberg's optimistic commit).

    write must reload the table and decide afresh each time: a concurrent load of the same content
    then makes it a no-op. After COMMIT_ATTEMPTS conflicts it stops with ConcurrentLoad; nothing is written.
    """
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            return write()
        except (CommitFailedException, ValidationException):  # pyiceberg's own retry found our rows changed
            log.warning("iceberg commit conflict", extra={"load": what, "attempt": attempt})
    raise ConcurrentLoad(f"other loads committed to the catalog first, {COMMIT_ATTEMPTS} times in a row; "
                         "this one wrote nothing: run it again")


def load_history(table):
    """Return one dict per load snapshot, oldest first."""
    loads = []
    for snap in table.snapshots():
        summary = snap.summary.additional_properties if snap.summary else {}
        if f"{PROP}source" not in summary:
            continue
        loads.append(
            {
                "snapshot_id": snap.snapshot_id,
                "source": summary[f"{PROP}source"],
                "source_kind": summary[f"{PROP}source_kind"],
                "loaded_at": summary[f"{PROP}loaded_at"],
                "rows": int(summary[f"{PROP}rows"]),
                "commodities": summary.get(f"{PROP}commodities", ""),
                # Loads written before releases existed count as a release of their load month.
                "release_id": summary.get(f"{PROP}release_id") or summary[f"{PROP}loaded_at"][:7],
                "content_hash": summary.get(f"{PROP}content_hash", ""),
                "unknown_country_codes": summary.get(f"{PROP}unknown_country_codes", ""),
                "unmapped_attributes": summary.get(f"{PROP}unmapped_attributes", ""),
            }
        )
    return loads


def releases(table):
    """Return one dict per release in release order: the last load carrying each release id."""
    latest = {load["release_id"]: load for load in load_history(table)}
    return [latest[release_id] for release_id in sorted(latest)]


def scan_at(table, snapshot_id):
    """Return every row as of snapshot_id as Arrow."""
    return table.scan(snapshot_id=snapshot_id).to_arrow()


def scan(table, commodity=None):
    """Return the current rows as Arrow, optionally for one commodity or a list of them."""
    if commodity is None:
        return table.scan().to_arrow()
    codes = [commodity] if isinstance(commodity, str) else list(commodity)
    return table.scan(row_filter=In("commodity_code", codes)).to_arrow()
