"""Load a source: parse it, store it in Iceberg as releases, tell the hosts, rebuild the serving file.

The one place where the stages meet (sources -> lake -> serving); the CLI and `refresh` call it.
"""
import logging

from data import commodities as declared
from data.lake import enso as enso_lake
from data.lake import prices as prices_lake
from data.lake import iceberg
from data.lake import psd as psd_lake
from data.lake.guards import LoadRefused, logged_load  # noqa: F401  (LoadRefused: what callers catch)
from data.serving import export as exporter
from data.lake import notice
from data.sources import demo
from data.sources import enso as enso_source
from data.sources import prices as prices_source
from data.sources.psd import parse, read_source

log = logging.getLogger(__name__)

DEMO_SOURCE = "generated demo data (DEMO DATA, not USDA's)"


def ingest(config, source, progress=None, timeout=30, commodities=None, force=False, release_id=None):
    """Validate source, store each declared commodity in it as a release and export; return a summary."""
    catalog = declared.for_config(config)

    def load():
        arrow, kind = read_source(source, progress=progress, timeout=timeout, commodities=commodities,
                                  catalog=catalog)
        summary = write(config, arrow, source, kind, force=force, release_id=release_id, progress=progress)
        return publish(config, summary, progress=progress, fresh=arrow)

    return logged_load(log, "ingest", source, load)


def store(config, arrow, source, kind, force=False, release_id=None, progress=None, export=True):
    """Write arrow's commodities as releases (one snapshot) and rebuild the serving file (unless export is False).

    A commodity with identical content adds no release; a load that shrinks one is refused unless forced. A
    concurrent writer's commit makes it decide again on the newer snapshot (iceberg.committed).
    """
    summary = write(config, arrow, source, kind, force=force, release_id=release_id, progress=progress)
    return publish(config, summary, progress=progress, export=export, fresh=arrow)


def write(config, arrow, source, kind, force=False, release_id=None, progress=None):
    """Write arrow's changed commodities to Iceberg as their releases; return the load's summary."""
    if progress:
        progress("storing in Iceberg")
    summary = iceberg.committed(lambda: psd_lake.write(config, arrow, source, kind, force, release_id), source)
    return {**summary, "rows": arrow.num_rows, "release_id": _headline(summary)}


def publish(config, summary, progress=None, export=True, fresh=None):
    """Tell the hosts about a load's new releases and rebuild the serving file; return the summary with its path.

    fresh: the Arrow rows the load wrote, which the serving build then need not read back from Iceberg.
    """
    if not summary["new"]:  # nothing new, unless a killed load committed and never built the file
        rebuilt = export and exporter.stale(config)
        return {**summary, "serving": str(exporter.export(config, progress=progress)) if rebuilt else None}
    notice.publish(config, ", ".join(f"{r['commodity_code']} {r['release_id']}" for r in summary["commodities"]
                                     if r["new"]))
    if progress and export:
        progress("building the serving file")
    fresh = (summary["snapshot_id"], fresh) if fresh is not None else None
    path = exporter.export(config, progress=progress, fresh=fresh) if export else None
    return {**summary, "serving": str(path) if path else None}


def _headline(summary):
    """Return the release id a one-line report names: the new releases' id when they share one."""
    ids = {r["release_id"] for r in summary["commodities"] if r["new"] or not summary["new"]}
    return ids.pop() if len(ids) == 1 else ", ".join(sorted(ids))


def ingest_demo(config, force=False, unreachable=None):
    """Load the next demo releases of every commodity with demo data; return their summaries, oldest first.

    An empty store gets each commodity's first demo.INITIAL_RELEASES releases (so revisions have something to
    show); a commodity whose latest demo release is N gets release N + 1. The serving file is exported once.
    unreachable: the source that could not be fetched, when demo data stands in for it (recorded in each source).
    """
    catalog = declared.for_config(config)
    table = iceberg.open_table(iceberg.open_catalog(config), create=True)
    steps = demo.next_releases(catalog, iceberg.commodity_releases(table))
    summaries = []
    for number, (commodity, index) in enumerate(steps, start=1):
        source = f"{DEMO_SOURCE}, {commodity.slug} release {demo.release_id(commodity, index)}"
        source += f"{demo.FELL_BACK}{unreachable}" if unreachable else ""
        arrow = parse(source, demo.demo_csv(commodity, index), commodities=[commodity.code], catalog=catalog)
        summaries.append(store(config, arrow, source, "demo", force=force, export=number == len(steps)))
    serving = summaries[-1]["serving"]
    return [{**summary, "serving": serving} for summary in summaries]


def ingest_enso(config, source, timeout=30, force=False, release_id=None):
    """Validate NOAA's ONI file, store it as a release and export; return a summary."""
    def load():
        arrow, kind = enso_source.read(source, timeout=timeout)
        return store_enso(config, arrow, source, kind, force=force, release_id=release_id)

    return logged_load(log, "enso ingest", source, load)


def store_enso(config, arrow, source, kind, force=False, release_id=None):
    """Write ONI seasons as a release unless identical to the last load; export when PSD data is there to serve."""
    summary = iceberg.committed(lambda: enso_lake.write(config, arrow, source, kind, force, release_id), source)
    if not summary["new"]:
        return summary
    notice.publish(config, summary["release_id"])
    try:
        serving = str(exporter.export(config))
    except exporter.ExportError:  # no PSD data yet: the first `ingest` writes the serving file
        serving = None
    return {**summary, "serving": serving}


def ingest_prices(config, source, timeout=30, force=False):
    """Validate a Pink Sheet edition at a path or URL, store it as a release and export; return a summary."""
    def load():
        edition, kind = prices_source.read(source, declared.for_config(config), timeout=timeout)
        return store_prices(config, edition, source, kind, force=force)

    return logged_load(log, "prices ingest", source, load)


def store_prices(config, edition, source, kind, force=False):
    """Write an edition as a release unless already loaded; export when PSD data is there to serve."""
    summary = iceberg.committed(lambda: prices_lake.write(config, edition, source, kind, force), source)
    if not summary["new"]:
        return summary
    notice.publish(config, f"prices {summary['release_id']}")
    try:
        serving = str(exporter.export(config))
    except exporter.ExportError:  # no PSD data yet: the first `ingest` writes the serving file
        serving = None
    return {**summary, "serving": serving}
