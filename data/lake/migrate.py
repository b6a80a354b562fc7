"""Copy a host's local catalog (SQLite + warehouse folder) into the shared one, load by load, with its tags."""
from pathlib import Path

from pyiceberg.expressions import In
from pyiceberg.partitioning import UNPARTITIONED_PARTITION_SPEC

from data.lake import enso as enso_store

from data.lake import iceberg

from data.lake import notice

# (table, schema, partition spec, whether a load replaces only its commodities).
TABLES = ((iceberg.TABLE, iceberg.SCHEMA, iceberg.SPEC, True),
          (enso_store.TABLE, enso_store.SCHEMA, UNPARTITIONED_PARTITION_SPEC, False))


class MigrationRefused(Exception):
    """The copy cannot start: no shared catalog, nothing to copy, or a target that already holds loads."""


def local_config(config, data_dir):
    """Return config naming the embedded catalog and warehouse of data_dir."""
    local = {key: val for key, val in config.items() if key not in ("ICEBERG_CATALOG_URI", "ICEBERG_WAREHOUSE")}
    return {**local, "BEANFLOWS_DATA_DIR": str(data_dir)}


def _snapshot_props(table, snapshot_id):
    """Return the beanflows properties of one snapshot's summary."""
    summary = table.snapshot_by_id(snapshot_id).summary.additional_properties
    return {key: val for key, val in summary.items() if key.startswith(iceberg.PROP)}


def _copy_table(source_catalog, target_catalog, name, schema, spec, by_commodity, progress):
    """Copy every load of one table, oldest first, then point each release tag as the source does; return loads."""
    source = iceberg.open_table(source_catalog, name=name)
    if source is None or source.current_snapshot() is None:
        return 0
    target = iceberg.open_table(target_catalog, create=True, name=name, schema=schema, spec=spec)
    if target.current_snapshot() is not None:
        raise MigrationRefused(f"the shared catalog already holds loads of {name}; nothing was copied")
    copied = {}
    loads = iceberg.load_history(source)
    for number, load in enumerate(loads, start=1):
        progress(f"{name}: load {number}/{len(loads)} (release {load['release_id']})")
        props = _snapshot_props(source, load["snapshot_id"])
        if by_commodity:
            codes = [code for code in load["commodities"].split(",") if code]
            rows = source.scan(snapshot_id=load["snapshot_id"], row_filter=In("commodity_code", codes)).to_arrow()
            copied[load["snapshot_id"]] = iceberg.write_snapshot(target, rows, props)
        else:
            rows = iceberg.scan_at(source, load["snapshot_id"]).replace_schema_metadata(None)
            if target.current_snapshot() is None:
                target.append(rows, snapshot_properties=props)
            else:
                target.overwrite(rows, snapshot_properties=props)
            copied[load["snapshot_id"]] = target.refresh().current_snapshot().snapshot_id
    for tag, ref in source.refs().items():
        if ref.snapshot_ref_type == "tag" and ref.snapshot_id in copied:
            iceberg.tag(target, tag, copied[ref.snapshot_id])
    return len(loads)


def migrate(config, from_data_dir=None, progress=None):
    """Copy the local catalog of from_data_dir (default BEANFLOWS_DATA_DIR) into the configured shared catalog.

    Return {table name: loads copied}. Refused, with nothing written, when no shared catalog is configured,
    the local one is empty or the shared one already holds loads.
    """
    say = progress or (lambda _step: None)
    if not config.get("ICEBERG_CATALOG_URI"):
        raise MigrationRefused("ICEBERG_CATALOG_URI is not set: there is no shared catalog to copy into")
    data_dir = Path(from_data_dir or config["BEANFLOWS_DATA_DIR"])
    if not (data_dir / "catalog.db").exists():
        raise MigrationRefused(f"no local catalog at {data_dir / 'catalog.db'}")
    source_catalog = iceberg.open_catalog(local_config(config, data_dir))
    target_catalog = iceberg.open_catalog(config)
    for name, *_ in TABLES:
        target = iceberg.open_table(target_catalog, name=name)
        if target is not None and target.current_snapshot() is not None:
            raise MigrationRefused(f"the shared catalog already holds loads of {name}; nothing was copied")
    copied = {name: _copy_table(source_catalog, target_catalog, name, schema, spec, by_commodity, say)
              for name, schema, spec, by_commodity in TABLES}
    if not any(copied.values()):
        raise MigrationRefused(f"the local catalog in {data_dir} holds no loads")
    latest = iceberg.releases(iceberg.open_table(target_catalog))
    if latest:
        notice.publish(config, latest[-1]["release_id"])
    return copied
