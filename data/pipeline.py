"""Ingest a source into Iceberg, then export the serving file."""
from data import export as exporter
from data import iceberg
from data.demo import demo_csv
from data.ingest import parse, read_source

DEMO_SOURCE = "generated demo data"


def ingest(config, source, progress=None, timeout=30):
    """Validate source, write one Iceberg snapshot and export; return a summary."""
    arrow, kind = read_source(source, progress=progress, timeout=timeout)
    return store(config, arrow, source, kind)


def ingest_demo(config):
    """Load generated demo data the same way as a real file."""
    return store(config, parse(DEMO_SOURCE, demo_csv()), DEMO_SOURCE, "demo")


def store(config, arrow, source, kind):
    """Write arrow as one snapshot and rebuild the serving file."""
    table = iceberg.open_table(iceberg.open_catalog(config), create=True)
    snapshot_id = iceberg.write_load(table, arrow, source, kind)
    path = exporter.export(config)
    return {"rows": arrow.num_rows, "snapshot_id": snapshot_id, "kind": kind, "serving": str(path)}
