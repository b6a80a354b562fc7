"""Reuse the user of a chart callback for a second: a page's burst of chart requests loads it once."""
import threading
import time

from flask import current_app, request

from extensions import db

CALLBACK_PATH = "/_dash-update-component"
MAX_ENTRIES = 10_000

_lock = threading.Lock()
_users = {}


def applies():
    """Return True for a chart view callback (read-only) while the reuse window is on."""
    if current_app.config["CHART_USER_SECONDS"] <= 0:
        return False
    if request.method != "POST" or request.path != CALLBACK_PATH:
        return False
    body = request.get_json(silent=True)
    return isinstance(body, dict) and body.get("output") in current_app.extensions.get("chart_outputs", ())


def get(session_id):
    """Return the user loaded for session_id less than CHART_USER_SECONDS ago, or None."""
    entry = _users.get((current_app.import_name, id(current_app), session_id))
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
        _users[(current_app.import_name, id(current_app), session_id)] = (
            now + current_app.config["CHART_USER_SECONDS"], user)
