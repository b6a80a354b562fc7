"""Ingest a source into Iceberg as a release, then export the serving file."""
import hashlib
import logging
from datetime import datetime, timezone

import pyarrow as pa

from config import value
from data import demo
from data import export as exporter
from data import guards, iceberg, notice
from data.guards import LoadRefused, logged_load  # noqa: F401  (LoadRefused: data/cli.py catches pipeline's)
from data.ingest import facts, parse, read_source
from data.schema import COFFEE

log = logging.getLogger(__name__)

DEMO_SOURCE = "generated demo data (DEMO DATA, not USDA's)"
KEY = ["commodity_code", "country_code", "market_year", "attribute_id"]


def ingest(config, source, progress=None, timeout=30, commodity=COFFEE, force=False, release_id=None):
    """Validate source, store it as a release and export; return a summary."""
    def load():
        arrow, kind = read_source(source, progress=progress, timeout=timeout, commodity=commodity)
        return store(config, arrow, source, kind, force=force, release_id=release_id, progress=progress)

    return logged_load(log, "ingest", source, load)


def ingest_demo(config, force=False, unreachable=None):
    """Load the next demo releases the same way as real files; return their summaries, oldest first.

    An empty store gets the first demo.INITIAL_RELEASES releases (so revisions have something to show);
    a store whose latest demo release is N gets release N + 1. The serving file is exported once, at the end.
    unreachable: the source that could not be fetched, when demo data stands in for it (recorded in each source).
    """
    indexes = next_demo_releases(iceberg.releases(iceberg.open_table(iceberg.open_catalog(config), create=True)))
    summaries = []
    for number, index in enumerate(indexes, start=1):
        source = f"{DEMO_SOURCE}, release {demo.release_id(index)}"
        source += f"{demo.FELL_BACK}{unreachable}" if unreachable else ""
        summaries.append(store(config, parse(source, demo.demo_csv(index)), source, "demo", force=force,
                               export=number == len(indexes)))
    serving = summaries[-1]["serving"]
    return [{**summary, "serving": serving} for summary in summaries]


def next_demo_releases(loaded):
    """Return the demo release indexes to load next after the loaded releases (iceberg.releases)."""
    indexes = [demo.release_index(load["release_id"]) for load in loaded if load["source_kind"] == "demo"]
    indexes = [index for index in indexes if index is not None]
    return [max(indexes) + 1] if indexes else list(range(demo.INITIAL_RELEASES))


def content_hash(arrow):
    """Return a digest of arrow's rows, independent of row order and file layout."""
    rows = arrow.replace_schema_metadata(None).sort_by([(k, "ascending") for k in KEY]).combine_chunks()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, rows.schema) as writer:
        writer.write_table(rows)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def _last_release_with(table, digest, codes):
    """Return the release id of the latest load of codes when its content hash is digest."""
    loads = [load for load in iceberg.load_history(table) if load["commodities"] == ",".join(codes)]
    if loads and loads[-1]["content_hash"] == digest:
        return loads[-1]["release_id"]
    return None


def _replaces_demo(table, kind):
    """Return True when a load of kind replaces demo data: generated figures are no baseline for real ones."""
    loads = iceberg.load_history(table)
    return kind != "demo" and bool(loads) and loads[-1]["source_kind"] == "demo"


def store(config, arrow, source, kind, force=False, release_id=None, progress=None, export=True):
    """Write arrow as a new release (one tagged snapshot) and rebuild the serving file (unless export is False).

    Identical content adds no release; a load that shrinks the data is refused unless forced. A concurrent
    writer's commit makes it decide again on the newer snapshot (iceberg.committed).
    """
    summary = iceberg.committed(lambda: _write(config, arrow, source, kind, force, release_id), source)
    if not summary["new"]:
        return {**summary, "serving": None}
    notice.publish(config, summary["release_id"])
    path = exporter.export(config, progress=progress) if export else None
    return {**summary, "serving": str(path) if path else None}


def _write(config, arrow, source, kind, force, release_id):
    """Write arrow as a release unless its content is the last release's; return the summary."""
    table = iceberg.open_table(iceberg.open_catalog(config), create=True)
    codes = sorted(set(arrow.column("commodity_code").to_pylist()))
    noted = facts(arrow)
    summary = {"rows": arrow.num_rows, "kind": kind, "unknown_country_codes": noted["unknown_country_codes"],
               "unmapped_attributes": noted["unmapped_attributes"]}
    digest = content_hash(arrow)
    same = _last_release_with(table, digest, codes)
    if same:
        return {**summary, "new": False, "release_id": same, "snapshot_id": None}
    if not force and table.current_snapshot() is not None and not _replaces_demo(table, kind):
        old = iceberg.scan(table, codes)
        guards.check(old, arrow, float(value(config, "RELEASE_MAX_WORLD_CHANGE")))
    release_id = release_id or noted["release_id"] or datetime.now(timezone.utc).strftime("%Y-%m")
    release = {
        "release_id": release_id,
        "content_hash": digest,
        "unknown_country_codes": ",".join(f"{c} ({n})" for c, n in noted["unknown_country_codes"]),
        "unmapped_attributes": ",".join(f"{a} ({n})" for a, n in noted["unmapped_attributes"]),
    }
    snapshot_id = iceberg.write_load(table, arrow, source, kind, release)
    return {**summary, "new": True, "release_id": release_id, "snapshot_id": snapshot_id}
