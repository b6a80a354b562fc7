"""The Iceberg system of record: catalog, table, one snapshot per load."""
import itertools
import json
import logging
from functools import lru_cache
from pathlib import Path

import pyarrow.compute as pc
from pyiceberg.catalog import load_catalog
from pyiceberg.exceptions import (CommitFailedException, NamespaceAlreadyExistsError, NoSuchTableError,
                                  TableAlreadyExistsError, ValidationException)
from pyiceberg.expressions import In
from pyiceberg.partitioning import UNPARTITIONED_PARTITION_SPEC, PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import IdentityTransform
from pyiceberg.types import DoubleType, IntegerType, NestedField, StringType
from sqlalchemy.exc import DBAPIError

from data.lake import reach
from data.lake.guards import LoadRefused
from data.lake.pyiceberg_files import data_files

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


def catalog_properties(config):
    """Return pyiceberg catalog properties: configured, or SQLite under the data dir."""
    data_dir = Path(config["BEANFLOWS_DATA_DIR"])
    uri = config.get("ICEBERG_CATALOG_URI") or f"sqlite:///{data_dir / 'catalog.db'}"
    warehouse = config.get("ICEBERG_WAREHOUSE") or (data_dir / "warehouse").as_uri()
    props = {"uri": uri, "warehouse": warehouse}
    if uri.startswith(("sqlite:", "postgresql", "mysql")):
        props["type"] = "sql"
    if warehouse.startswith(("s3://", "s3a://")):
        props.update(reach.s3_properties(config))  # a bucket that stops answering fails soon
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
        return _load_catalog(props)
    return _shared_catalog(tuple(sorted(props.items())))


@lru_cache(maxsize=8)
def _shared_catalog(props):
    """Return one catalog per server catalog's properties: a follower polling it keeps one connection pool."""
    return _load_catalog(dict(props))


def _load_catalog(props):
    """Load the catalog, once more when another process created its tables between pyiceberg's check and create."""
    try:
        return load_catalog("beanflows", **props)
    except DBAPIError:  # the second look finds the tables and creates nothing
        log.info("Catalog tables created by another process; loading again")
        return load_catalog("beanflows", **props)


def open_source_table(config, name, schema, create=False):
    """Return another source's unpartitioned table (ONI, prices), or None when absent and create is False."""
    return open_table(open_catalog(config), create=create, name=name, schema=schema, spec=UNPARTITIONED_PARTITION_SPEC)


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


def write_snapshot(table, arrow, props):
    """Replace the commodities in arrow with its rows as one snapshot carrying props; return its id."""
    codes = sorted(pc.unique(arrow["commodity_code"]).to_pylist())
    arrow = arrow.replace_schema_metadata(None)
    stale = [task.file for task in table.scan(row_filter=In("commodity_code", codes)).plan_files()]
    with table.transaction() as tx:
        with tx.update_snapshot(snapshot_properties=props).overwrite() as snapshot:
            for data_file in stale:
                snapshot.delete_data_file(data_file)
            counter = itertools.count(0)
            for code in codes:  # one partition at a time: pyiceberg need not sort the rows into partitions
                rows = arrow.filter(pc.equal(arrow["commodity_code"], code))
                for data_file in data_files(tx.table_metadata, rows, table.io, snapshot.commit_uuid, counter):
                    snapshot.append_data_file(data_file)
    return table.refresh().current_snapshot().snapshot_id


def tag(table, name, snapshot_id):
    """Point the tag name at snapshot_id, moving it when a later load re-issues a release."""
    set_tags(table, {name: snapshot_id})


def set_tags(table, tags):
    """Point each tag {name: snapshot id} at its snapshot in one catalog commit: a moved tag is never absent.

    A tag that exists is removed and created again in the same commit (pyiceberg's ManageSnapshots chains both),
    so a reader sees it on its old snapshot or on its new one, never missing.
    """
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        table.refresh()
        refs = table.refs()
        manage = table.manage_snapshots()
        for name, snapshot_id in tags.items():
            if name in refs and refs[name].snapshot_id == snapshot_id:
                continue
            if name in refs:
                manage = manage.remove_tag(name)
            manage = manage.create_tag(snapshot_id, name)
        try:
            manage.commit()
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
    """Return one dict per load snapshot, oldest first.

    A PSD load lists per commodity (JSON) its release id, content hash and rows; a load written before releases
    were per commodity, or an ENSO load, carries one release id for everything it wrote.
    """
    loads = []
    for snap in table.snapshots():
        summary = snap.summary.additional_properties if snap.summary else {}
        if f"{PROP}source" not in summary:
            continue
        get = lambda key, default="", summary=summary: summary.get(f"{PROP}{key}", default)  # noqa: E731
        # Loads written before releases existed count as a release of their load month.
        release_id = get("release_id") or summary[f"{PROP}loaded_at"][:7]
        codes = [code for code in get("commodities").split(",") if code]
        loads.append({
            "snapshot_id": snap.snapshot_id,
            "source": summary[f"{PROP}source"],
            "source_kind": summary[f"{PROP}source_kind"],
            "loaded_at": summary[f"{PROP}loaded_at"],
            "rows": int(summary[f"{PROP}rows"]),
            "commodities": get("commodities"),
            "release_id": release_id,
            "content_hash": get("content_hash"),
            "unknown_country_codes": get("unknown_country_codes"),
            "unmapped_attributes": get("unmapped_attributes"),
            "releases": json.loads(get("releases", "{}")) or {code: release_id for code in codes},
            "hashes": json.loads(get("hashes", "{}")) or {code: get("content_hash") for code in codes},
            "rows_by": json.loads(get("rows_by", "{}")) or {code: int(summary[f"{PROP}rows"]) for code in codes},
        })
    return loads


def commodity_releases(table):
    """Return one dict per (commodity, release) in that order: the last load of each, with that commodity's figures."""
    latest = {}
    for load in load_history(table):
        for code, release_id in load["releases"].items():
            latest[(code, release_id)] = {**load, "commodity_code": code, "release_id": release_id,
                                          "rows": load["rows_by"].get(code, load["rows"]),
                                          "content_hash": load["hashes"].get(code, "")}
    return [latest[key] for key in sorted(latest)]


def latest_loads(table):
    """Return {commodity code: the last load that wrote it}."""
    found = {}
    for load in load_history(table):
        for code in load["releases"]:
            found[code] = load
    return found


def releases(table):
    """Return one dict per release in release order: the last load carrying each release id."""
    latest = {load["release_id"]: load for load in load_history(table)}
    return [latest[release_id] for release_id in sorted(latest)]


def scan_at(table, snapshot_id, codes=None):
    """Return every row as of snapshot_id as Arrow (of the commodity codes listed, when given)."""
    if codes is None:
        return table.scan(snapshot_id=snapshot_id).to_arrow()
    return table.scan(snapshot_id=snapshot_id, row_filter=In("commodity_code", list(codes))).to_arrow()


def scan(table, commodity=None):
    """Return the current rows as Arrow, optionally for one commodity or a list of them."""
    if commodity is None:
        return table.scan().to_arrow()
    codes = [commodity] if isinstance(commodity, str) else list(commodity)
    return table.scan(row_filter=In("commodity_code", codes)).to_arrow()
