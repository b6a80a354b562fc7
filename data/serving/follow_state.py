"""What a host's follower last saw in the shared catalog and built, kept in the data dir; read without pyiceberg."""
import json
import os
from datetime import datetime, timezone
from pathlib import Path

STATE_NAME = "follow_state.json"


def following(config):
    """Return True when this host follows a shared catalog (ICEBERG_CATALOG_URI set) rather than its own."""
    return bool(config.get("ICEBERG_CATALOG_URI"))


def now():
    """Return the current UTC time as ISO 8601 seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def read(data_dir):
    """Return the follower's state, {} before its first check."""
    try:
        return json.loads((Path(data_dir) / STATE_NAME).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def write(data_dir, state):
    """Replace the follower's state atomically."""
    path = Path(data_dir) / STATE_NAME
    tmp = path.with_name(f".{STATE_NAME}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, indent=2))
    os.replace(tmp, path)


def lag_seconds(state, served):
    """Return how long served (release id, snapshot id) has been behind the catalog's latest: 0 when current."""
    latest = state.get("latest")
    if not latest or (served and (served[0], served[1]) == (latest["release_id"], latest["snapshot_id"])):
        return 0.0
    published = datetime.fromisoformat(latest["committed_at"])
    return max(0.0, round((datetime.now(timezone.utc) - published).total_seconds(), 1))


def seconds_since_look(state):
    """Return the seconds since the follower last tried the catalog, or None before its first try."""
    if not state.get("looked_at"):
        return None
    return (datetime.now(timezone.utc) - datetime.fromisoformat(state["looked_at"])).total_seconds()
