"""GET /metrics: Prometheus text summed over every worker, plus state read when scraped; bearer token only."""
import hmac
import logging
import os
import time

from flask import Blueprint, Response, abort, current_app, jsonify, request
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

import registry
from auth.access import PUBLIC, requires
from config import metrics_dir
from data.cli import outcomes
from data.serving.reader import NoData, serving
from web import metrics, unlimited

log = logging.getLogger(__name__)

bp = Blueprint("scrape", __name__)
bp.record_once(lambda state: unlimited.declare(state.app, "scrape.metrics_text"))  # Prometheus polls it


def _serving_state():
    """Yield the served file's age and the release it serves."""
    reader = serving()
    try:
        age = time.time() - os.stat(reader.path).st_mtime
        release = reader.fetchone("SELECT max(release_id) FROM releases")[0]
    except (FileNotFoundError, NoData):
        return
    yield GaugeMetricFamily("beanflows_serving_file_age_seconds", "Seconds since the serving file was written",
                            value=age)
    served = GaugeMetricFamily("beanflows_release_served", "The release the serving file serves (value 1)",
                               labels=["release"])
    served.add_metric([release or "none"], 1)
    yield served


def _ingest_state():
    """Yield the counts of ingest and refresh runs by outcome and when each outcome last happened."""
    state = outcomes.read(current_app.config["BEANFLOWS_DATA_DIR"])
    runs = CounterMetricFamily("beanflows_ingest_runs", "Ingest and refresh runs on this host, by outcome",
                               labels=["command", "outcome"])
    for command, counts in sorted(state["counts"].items()):
        for outcome, count in sorted(counts.items()):
            runs.add_metric([command, outcome], count)
    yield runs
    last = GaugeMetricFamily("beanflows_ingest_last_run_timestamp_seconds", "When an outcome last happened",
                             labels=["outcome"])
    for outcome, when in sorted(state["last"].items()):
        last.add_metric([outcome], when)
    yield last


def add_state(app, collect):
    """Add collect() -> metric families to what app's /metrics reads when scraped (app.py gives alerts')."""
    registry.of(app).metric_state.append(collect)


class StateCollector:
    """Metrics read at scrape time: the serving file, the ingest outcomes, and what features add."""

    def collect(self):
        """Yield each state metric; one that cannot be read is left out and logged."""
        for part in (_serving_state, _ingest_state, *registry.current().metric_state):
            try:
                yield from part()
            except Exception:  # a scrape without one family beats a failed scrape
                log.exception("metrics: %s failed", part.__name__)


def exposition():
    """Return the text of every worker's counts (one process's own outside gunicorn) and the state metrics."""
    if metrics_dir():
        from prometheus_client import multiprocess

        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector())
    return generate_latest(counted) + generate_latest(state)


def _authorized():
    """Return True when the request carries the configured token as a bearer (compared in constant time)."""
    expected = f"Bearer {current_app.config['METRICS_TOKEN']}".encode()
    return hmac.compare_digest(request.headers.get("Authorization", "").encode("utf-8", "surrogateescape"), expected)


@bp.get("/metrics")
@requires(PUBLIC)  # the bearer token below is the check; the route is off (404) without one configured
def metrics_text():
    """Return the metrics in Prometheus text format."""
    if not metrics.enabled():
        abort(404)
    if not _authorized():
        response = jsonify(error="Send the metrics token as a bearer.")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return Response(exposition(), content_type=CONTENT_TYPE_LATEST)
