"""Reuse the user of a chart callback for a second: a page's burst of chart requests loads it once."""
import threading
import time

from flask import current_app

from extensions import db
from ui.response_cache import chart_request

MAX_ENTRIES = 10_000

_lock = threading.Lock()
_users = {}


def applies():
    """Return True for a chart view callback (read-only) while the reuse window is on."""
    return current_app.config["CHART_USER_SECONDS"] > 0 and chart_request() is not None


def get(session_id):
    """Return the user loaded for session_id less than CHART_USER_SECONDS ago, or None."""
    entry = _users.get((id(current_app), session_id))
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def put(session_id, user):
    """Keep a loaded, checked user (detached from the request's session) for the reuse window."""
    db.session.expunge(user)
    now = time.monotonic()
    with _lock:
        if len(_users) >= MAX_ENTRIES:
            for key in [k for k, (expiry, _) in _users.items() if expiry < now]:
                del _users[key]
            if len(_users) >= MAX_ENTRIES:
                _users.clear()
        _users[(id(current_app), session_id)] = (
            now + current_app.config["CHART_USER_SECONDS"], user)
