"""Keep a host's serving file on the shared catalog's latest release: look every RELEASE_POLL_SECONDS (or at
a Redis notice), build the file, check it and swap it in; a failed build leaves the last good file served."""
import logging
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from config import value
from data.lake import enso as enso_lake
from data.lake import prices as prices_lake
from data.serving import export
from data.serving import follow_state
from data.lake import iceberg
from data.lake import notice
from data.lake import reach
from data.serving import releases
from data.schema import SERVING_NAME

log = logging.getLogger(__name__)
OTHER_TABLES = (enso_lake.TABLE, prices_lake.TABLE)


def catalog_latest(config):
    """Return the catalog's latest served release and a fingerprint of its tables, or None while it is empty."""
    catalog = iceberg.open_catalog(config)
    psd = iceberg.open_table(catalog)
    if psd is None or psd.current_snapshot() is None:
        return None
    # The other sources' tables count too: a new ONI or Pink Sheet edition alone is worth a rebuild.
    others = [iceberg.open_table(catalog, name=name) for name in OTHER_TABLES]
    snapshots = [table.current_snapshot() if table is not None else None for table in others]
    found = releases.served(iceberg.commodity_releases(psd), iceberg.latest_loads(psd))
    latest = max(found, key=lambda release: (release["release_id"], release["snapshot_id"]))
    committed = psd.snapshot_by_id(latest["snapshot_id"]).timestamp_ms / 1000
    return {
        "release_id": latest["release_id"],
        "snapshot_id": latest["snapshot_id"],
        "committed_at": datetime.fromtimestamp(committed, timezone.utc).isoformat(timespec="milliseconds"),
        "fingerprint": ":".join([str(psd.current_snapshot().snapshot_id),
                                 *(str(snap.snapshot_id) if snap else "-" for snap in snapshots)]),
    }


def _failed(config, data_dir, state, stage, exc):
    """Record that stage failed (the last good file stays served) and return the state."""
    log.warning("release follower could not %s: %s; the last good serving file stays", stage, reach.cause(config, exc),
                extra={"stage": stage, "error": type(exc).__name__})
    since = (state.get("error") or {}).get("since") or follow_state.now()
    state["error"] = {"stage": stage, "type": type(exc).__name__, "message": reach.cause(config, exc), "since": since}
    state.pop("building", None)
    follow_state.write(data_dir, state)
    return state


def step(config):
    """Check the catalog once and build the serving file when it moved on; return the new state."""
    data_dir = Path(config["BEANFLOWS_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    state = follow_state.read(data_dir)
    state["looked_at"] = follow_state.now()  # every try, failed or not: the follower is alive
    try:
        latest = catalog_latest(config)
    except Exception as exc:  # catalog or bucket unreachable: keep serving, say so, try again next time
        return _failed(config, data_dir, state, "check the catalog", exc)
    state.update(latest=latest, checked_at=follow_state.now())
    built = state.get("built") or {}
    if latest is None or (built.get("fingerprint") == latest["fingerprint"] and (data_dir / SERVING_NAME).exists()):
        state["error"] = None
        follow_state.write(data_dir, state)
        return state
    state["building"] = {"release_id": latest["release_id"], "since": follow_state.now()}
    follow_state.write(data_dir, state)
    started = time.monotonic()
    try:
        export.export(config)
    except Exception as exc:  # the temp file is gone and the served one untouched
        return _failed(config, data_dir, state, "build the serving file", exc)
    state.pop("building")
    state["built"] = {"release_id": latest["release_id"], "snapshot_id": latest["snapshot_id"],
                      "fingerprint": latest["fingerprint"], "at": follow_state.now(),
                      "seconds": round(time.monotonic() - started, 2)}
    state["error"] = None
    follow_state.write(data_dir, state)
    log.info("serving file swapped in", extra={"release": latest["release_id"], "seconds": state["built"]["seconds"]})
    return state


def run(config, once=False):
    """Follow the catalog until the parent process goes (gunicorn's master), or for one check when once."""
    listener = notice.Listener(config)
    parent = os.getppid()
    poll = float(value(config, "RELEASE_POLL_SECONDS"))
    while True:
        try:
            state = step(config)
        except Exception:  # e.g. a full disk writing the state: keep following, the next look tries again
            log.exception("release follower step failed")
            state = None
        if once or os.getppid() != parent:
            return state
        listener.wait(poll)
