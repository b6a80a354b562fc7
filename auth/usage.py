"""Record usage events off the request path: buffered per worker, written in batches by a background thread."""
import atexit
import logging
import os
import threading
import time
import weakref
from datetime import timedelta

import click
from flask import Blueprint, current_app, g, has_request_context, jsonify, request
from flask.cli import with_appcontext
from flask_login import current_user
from sqlalchemy import delete, insert

import registry
from auth.access import USER, requires
from extensions import db
from models.accounts import utcnow
from models.usage import (  # noqa: F401  (the kinds, for recorders outside auth and models)
    ALERT_RULE_CREATED, API_CALL, DASHBOARD_OPENED, DETAIL_LENGTH, DOWNLOAD, FILTER_CHANGED, KINDS, ROUTE_LENGTH,
    VIEW_SAVED, RequestTiming, UsageEvent)

log = logging.getLogger(__name__)

MAX_BUFFERED = 50  # x USAGE_FLUSH_SIZE: past this, while the database refuses writes, the oldest events go
# While writes keep failing (the users database is down), one warning this often rather than a trace per try.
FAILING_LOG_SECONDS = 60.0


class UsageBuffer:
    """One worker's unwritten events, and the thread that writes them in batches by size or age."""

    def __init__(self, app):
        self.app = app
        self.size = app.config["USAGE_FLUSH_SIZE"]
        self.seconds = app.config["USAGE_FLUSH_SECONDS"]
        self._rows, self._lock, self._full = [], threading.Lock(), threading.Event()
        self._pid = None  # the process whose thread is running: gunicorn forks after the app is built
        self._failing_since = None  # time.monotonic() of the last failure logged, None while writes succeed

    def add(self, model, row):
        """Keep one row of model's table; wake the writer when a batch is full."""
        with self._lock:
            self._rows.append((model, row))
            full = len(self._rows) >= self.size
        if self._pid != os.getpid():
            self._start()
        if full:
            self._full.set()

    def _start(self):
        """Start this process's writer thread (once per process)."""
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
        # The thread holds the buffer weakly: an app that is dropped (a test's) takes its writer and, with it, the
        # last hold on its database pool.
        threading.Thread(target=_write_while_alive, args=(weakref.ref(self), self._full, self.seconds),
                         name="usage-writer", daemon=True).start()
        if not self.app.testing:  # a test's database may be gone at exit; tests flush themselves
            atexit.register(self.flush)

    def flush(self):
        """Write every buffered event in one transaction; on failure keep them for the next try."""
        with self._lock:
            rows, self._rows = self._rows, []
        if not rows:
            return 0
        try:
            with self.app.app_context(), db.engine.begin() as connection:
                for model in {model for model, _ in rows}:
                    connection.execute(insert(model), [row for kept, row in rows if kept is model])
        except Exception as exc:
            self._failed(exc, len(rows))
            with self._lock:
                self._rows = (rows + self._rows)[-MAX_BUFFERED * self.size:]
            return 0
        if self._failing_since is not None:
            self._failing_since = None
            log.warning("usage: events written again")
        return len(rows)

    def _failed(self, exc, count):
        """Log a failed write: the first of an outage with its trace, then one line every FAILING_LOG_SECONDS."""
        now = time.monotonic()
        if self._failing_since is None:
            log.exception("usage: %d events not written; kept for the next try", count)
        elif now - self._failing_since >= FAILING_LOG_SECONDS:
            log.warning("usage: %d events still not written (%s); kept for the next try", count, type(exc).__name__)
        else:
            return
        self._failing_since = now


def _write_while_alive(buffer_ref, full, seconds):
    """Write the buffer whenever a batch fills or `seconds` pass, until the buffer is gone."""
    while True:
        full.wait(seconds)
        full.clear()
        buffer = buffer_ref()
        if buffer is None:
            return
        buffer.flush()
        del buffer  # no strong hold while waiting


def record(kind, detail=""):
    """Note that the current user did kind (about detail); anonymous requests are not recorded."""
    if kind not in KINDS:
        raise ValueError(f"unknown usage event kind {kind!r}")
    if not has_request_context() or not current_user.is_authenticated:
        return
    buffer = registry.current().usage
    if buffer is not None:
        buffer.add(UsageEvent, {"user_id": current_user.id, "kind": kind, "detail": str(detail)[:DETAIL_LENGTH],
                    "created_at": utcnow()})


def record_request(route, status, seconds):
    """Note one answered request's route, status and time in the app (no user, no address), for /admin/metrics."""
    buffer = registry.current().usage
    if buffer is not None:
        buffer.add(RequestTiming, {"created_at": utcnow(), "route": route[:ROUTE_LENGTH], "status": status,
                                   "duration_ms": seconds * 1000})


def api_client():
    """Return how this API request authenticated: its token's id, or the session."""
    token_id = g.get("api_token_id")
    return f"token:{token_id}" if token_id is not None else "session"


def flush(app):
    """Write app's buffered events now (tests, and before a worker exits); return how many."""
    return registry.of(app).usage.flush()


def purge(now=None, days=None):
    """Delete usage events and request timings older than USAGE_RETENTION_DAYS; return how many events went."""
    days = current_app.config["USAGE_RETENTION_DAYS"] if days is None else days
    cutoff = (now or utcnow()) - timedelta(days=days)
    deleted = db.session.execute(delete(UsageEvent).where(UsageEvent.created_at < cutoff)).rowcount
    db.session.execute(delete(RequestTiming).where(RequestTiming.created_at < cutoff))
    db.session.commit()
    return deleted


bp = Blueprint("usage", __name__)


def declare_chart(app, graph_id, chart):
    """Let PNG downloads of the graph graph_id be recorded as downloads of chart."""
    registry.of(app).png_charts[graph_id] = chart


@bp.post("/usage/png")
@requires(USER)
def png_download():
    """Record that the user saved a declared chart as PNG from its toolbar (assets/usage.js)."""
    body = request.get_json(silent=True)
    graph = body.get("chart") if isinstance(body, dict) else None
    chart = registry.current().png_charts.get(graph) if isinstance(graph, str) else None
    if chart is None:
        return jsonify(error="Send {\"chart\": <the id of a chart on a dashboard>}."), 400
    record(DOWNLOAD, f"{chart}.png")
    return "", 204


@click.group("usage")
def usage_cli():
    """Usage events."""


@usage_cli.command("purge")
@with_appcontext
@click.option("--days", type=click.IntRange(min=0), help="Keep this many days (default USAGE_RETENTION_DAYS).")
def purge_command(days):
    """Delete usage events older than the retention period (run it daily, e.g. from cron)."""
    click.echo(f"Deleted {purge(days=days):,} usage events older than "
               f"{current_app.config['USAGE_RETENTION_DAYS'] if days is None else days} days.")


def init_app(app):
    """Give app its per-worker event buffer, the PNG download route and the `usage purge` command."""
    registry.of(app).usage = UsageBuffer(app)
    app.cli.add_command(usage_cli)
    app.register_blueprint(bp)
