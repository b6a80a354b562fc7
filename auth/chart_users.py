"""Reuse the user of a chart callback for a second: a page's burst of chart requests loads it once."""
import threading
import time

from flask import current_app, request

from extensions import db

MAX_ENTRIES = 10_000
CALLBACK_PATH = "/_dash-update-component"
CHART_OUTPUTS = "chart_outputs"  # app.extensions key: chart view output keys, filled as pages register

_lock = threading.Lock()


def chart_request():
    """Return the parsed body of a chart view callback request, or None for any other request."""
    if request.method != "POST" or request.path != CALLBACK_PATH:
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("output") not in current_app.extensions.get(CHART_OUTPUTS, ()):
        return None
    return body


def applies():
    """Return True for a chart view callback (read-only) while the reuse window is on."""
    return current_app.config["CHART_USER_SECONDS"] > 0 and chart_request() is not None


def _users():
    """Return this app's {session id: (expiry, user)}; each app keeps its own."""
    return current_app.extensions.setdefault("chart_users", {})


def get(session_id):
    """Return the user loaded for session_id less than CHART_USER_SECONDS ago, or None."""
    entry = _users().get(session_id)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def put(session_id, user):
    """Keep a loaded, checked user (detached from the request's session) for the reuse window."""
    db.session.expunge(user)
    now = time.monotonic()
    users = _users()
    with _lock:
        if len(users) >= MAX_ENTRIES:
            for key in [k for k, (expiry, _) in users.items() if expiry < now]:
                del users[key]
            if len(users) >= MAX_ENTRIES:
                users.clear()
        users[session_id] = (
            now + current_app.config["CHART_USER_SECONDS"], user)
