"""Load a World Bank Pink Sheet edition: parse it, store it in Iceberg as a release, tell the hosts, re-export."""
import logging

from data import commodities as declared
from data.lake import iceberg, notice
from data.lake import prices as prices_lake
from data.lake.guards import logged_load
from data.serving import export as exporter
from data.sources import prices as prices_source

log = logging.getLogger(__name__)


def ingest(config, source, timeout=30, force=False):
    """Validate a Pink Sheet edition at a path or URL, store it as a release and export; return a summary."""
    def load():
        edition, kind = prices_source.read(source, declared.for_config(config), timeout=timeout)
        return store(config, edition, source, kind, force=force)

    return logged_load(log, "prices ingest", source, load)


def store(config, edition, source, kind, force=False):
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
