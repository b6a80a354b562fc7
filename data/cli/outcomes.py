"""Count each ingest and refresh run's outcome in a small file beside the serving file, for /metrics."""
import json
import logging
import os
import tempfile
import time
from functools import wraps
from pathlib import Path

from flask import current_app

from data.cli.options import NOTHING_NEW

log = logging.getLogger(__name__)

OUTCOMES_NAME = "ingest_outcomes.json"
LOADED, UNCHANGED, FAILED = "loaded", "unchanged", "failed"


def path(data_dir):
    """Return the outcome counts file of a data directory."""
    return Path(data_dir) / OUTCOMES_NAME


def read(data_dir):
    """Return {"counts": {command: {outcome: n}}, "last": {outcome: unix time}}; empty when never written."""
    try:
        state = json.loads(path(data_dir).read_text())
    except (FileNotFoundError, ValueError):
        return {"counts": {}, "last": {}}
    return state if isinstance(state, dict) and {"counts", "last"} <= set(state) else {"counts": {}, "last": {}}


def record(data_dir, command, outcome, now):
    """Add one outcome of command, replacing the file atomically (runs are rare and never concurrent in practice)."""
    state = read(data_dir)
    per_command = state["counts"].setdefault(command, {})
    per_command[outcome] = per_command.get(outcome, 0) + 1
    state["last"][outcome] = now
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=data_dir, prefix=".outcomes-")
    with os.fdopen(handle, "w") as out:
        json.dump(state, out)
    os.replace(temp, path(data_dir))


def _outcome(exit_code):
    """Return the outcome of a command that exited with exit_code (refresh: 3 is nothing new)."""
    if exit_code in (None, 0):
        return LOADED
    return UNCHANGED if exit_code == NOTHING_NEW else FAILED


def counted(command):
    """Decorate a CLI command's function so that each run's outcome is recorded under the command's name."""
    def wrap(function):
        @wraps(function)
        def run(*args, **kwargs):
            outcome = FAILED
            try:
                function(*args, **kwargs)
                outcome = LOADED
            except SystemExit as exc:
                outcome = _outcome(exc.code)
                raise
            finally:
                try:
                    record(current_app.config["BEANFLOWS_DATA_DIR"], command, outcome, time.time())
                except OSError as exc:  # a full disk: the command's own error says so; the count is lost
                    log.warning("could not record the run's outcome", extra={"error": str(exc)})
        return run
    return wrap
