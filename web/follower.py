"""What gunicorn's follower supervisor (gunicorn.conf.py) last recorded: the follower's pid, deaths and restarts.

A thread of gunicorn's master waits on the follower process, so a death (SIGKILL included) is noticed at once and
written to follower.json in the data dir, which /readyz reads (web/ready.py).
"""
import json
import os
from pathlib import Path

STATE_NAME = "follower.json"  # gunicorn.conf.py's _FOLLOWER_STATE


def read(data_dir):
    """Return what the supervisor last wrote, {} when no supervisor runs on this data dir."""
    try:
        return json.loads((Path(data_dir) / STATE_NAME).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def alive(pid):
    """Return True while a process with pid exists (and is not a zombie)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return True
