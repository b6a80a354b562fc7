"""What the shared catalog holds now, looked up at most every LOOK_SECONDS per process: a host's honest lag, and
whether a release it does not serve yet exists (so a valid as_of waits for it instead of being refused)."""
import threading
import time
from datetime import datetime, timezone

LOOK_SECONDS = 3.0

_looks: dict[tuple, tuple[float, dict]] = {}
_lock = threading.Lock()


def releases(config):
    """Return {(commodity code, release id): (snapshot id, commit time, epoch s)} of the catalog's served releases."""
    key = (config.get("ICEBERG_CATALOG_URI"), config.get("ICEBERG_WAREHOUSE"))
    with _lock:
        seen = _looks.get(key)
        if seen and time.monotonic() - seen[0] < LOOK_SECONDS:
            return seen[1]
    found = _read(config)
    with _lock:
        _looks[key] = (time.monotonic(), found)
    return found


def _read(config):
    """Read the catalog's served releases and their commit times (pyiceberg, imported on first use)."""
    from data import commodities as declared
    from data.lake import iceberg
    from data.serving.releases import served

    codes = set(declared.for_config(config).codes)
    table = iceberg.open_table(iceberg.open_catalog(config))
    if table is None or table.current_snapshot() is None:
        return {}
    found = {}
    for release in served(iceberg.commodity_releases(table), iceberg.latest_loads(table)):
        if release["commodity_code"] not in codes:  # a host serves the commodities it declares
            continue
        snapshot = table.snapshot_by_id(release["snapshot_id"])
        found[(release["commodity_code"], release["release_id"])] = (release["snapshot_id"],
                                                                     snapshot.timestamp_ms / 1000)
    return found


def behind(catalog, served):
    """Return the catalog's releases this host does not serve (or serves an older load of), oldest commit first.

    catalog: releases(); served: {(commodity code, release id): snapshot id} of the serving file.
    """
    missing = [(committed, key) for key, (snapshot_id, committed) in catalog.items() if served.get(key) != snapshot_id]
    return [key for _, key in sorted(missing)]


def lag_seconds(catalog, served):
    """Return the seconds since the first commit this host does not serve yet; 0 when it serves every one."""
    missing = [catalog[key][1] for key in behind(catalog, served)]
    if not missing:
        return 0.0
    return max(0.0, round(datetime.now(timezone.utc).timestamp() - min(missing), 1))


def latest(catalog):
    """Return the catalog's highest release id, or None while it holds none."""
    return max((release_id for _, release_id in catalog), default=None)
