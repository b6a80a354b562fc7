"""Prometheus metrics of every request, counted in each worker and summed over workers when scraped."""
import logging
import time
from dataclasses import dataclass
from typing import Callable

from flask import current_app, g, request
from prometheus_client import Counter, Histogram

import registry
from auth import usage

log = logging.getLogger(__name__)

CALLBACK_PATH = "/_dash-update-component"
LOGIN_ENDPOINT = "auth.login"
# Dash serves every page through its catch-all rules: the page's declared path names the route instead.
DASH_PAGE_RULES = frozenset({"/", "/<path:path>"})
UNMATCHED = "unmatched"  # no URL rule (a 404 or 405 Flask answered): one label, not the raw path
CACHE_RESULT = "response_cache_result"  # g attribute: "hit" or "miss", set by ui/response_cache.py
# Files a page loads: not app requests, so left out of the daily latency and error figures (/admin/metrics).
STATIC_PREFIXES = ("/static/", "/bootstrap/static/", "/assets/", "/_dash-component-suites/", "/vendor/", "/_favicon")
# Chart callbacks answer in 1-50 ms, pages in 5-500 ms; the tail up to the gunicorn timeout.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter("beanflows_http_requests", "HTTP requests answered, by route (URL rule), method and status",
                   ("route", "method", "status"))
LATENCY = Histogram("beanflows_http_request_duration_seconds", "Time in the app per request, by route",
                    ("route",), buckets=BUCKETS)
CALLBACK_LATENCY = Histogram("beanflows_dash_callback_duration_seconds",
                             "Time in the app per Dash callback request, by its first output's component id",
                             ("output",), buckets=BUCKETS)
CACHE = Counter("beanflows_response_cache", "Chart callback answers looked up in the response cache", ("result",))
LOGIN_FAILURES = Counter("beanflows_login_failures", "Login form posts refused (wrong email or password, bad form)")
RATE_LIMITED = Counter("beanflows_rate_limited", "Requests refused by a rate limit (429), by route", ("route",))


@dataclass(frozen=True)
class Labels:
    """How a Dash request is labelled (ui/metric_labels.py, given by app.py): a page by its path, a callback by its output."""

    page: Callable[[], str]
    callback: Callable[[], str]


def name_dash(app, page, callback):
    """Give the metrics the functions that label a Dash page request and a Dash callback request."""
    registry.of(app).metric_labels = Labels(page, callback)


def route_label():
    """Return the route a request matched: its URL rule, a Dash page's declared path, or 'unmatched'."""
    rule = request.url_rule
    if rule is None:
        return UNMATCHED
    labels = registry.current().metric_labels
    if rule.rule in DASH_PAGE_RULES and request.method == "GET" and labels is not None:
        return labels.page()
    return rule.rule


def start():
    """Note when the request reached the app."""
    g.metrics_started = time.perf_counter()


def record(response):
    """Count the answered request and time it under its route (and its callback, for Dash callbacks)."""
    started = g.get("metrics_started")
    if started is not None:
        try:
            _count(response, time.perf_counter() - started)
        except Exception:  # counting must never turn an answer into a 500
            log.exception("metrics: request not counted")
    return response


def _count(response, elapsed):
    """Add one answered request to the counters, histograms and request timings."""
    route, status = route_label(), response.status_code
    REQUESTS.labels(route, request.method, str(status)).inc()
    LATENCY.labels(route).observe(elapsed)
    if not route.startswith(STATIC_PREFIXES):
        usage.record_request(route, status, elapsed)
    labels = registry.current().metric_labels
    if route == CALLBACK_PATH and labels is not None:
        CALLBACK_LATENCY.labels(labels.callback()).observe(elapsed)
    if g.get(CACHE_RESULT):
        CACHE.labels(g.get(CACHE_RESULT)).inc()
    if status == 429:
        RATE_LIMITED.labels(route).inc()
    elif request.endpoint == LOGIN_ENDPOINT and request.method == "POST" and status in (400, 401):
        LOGIN_FAILURES.inc()


def enabled():
    """Return True when /metrics is on (a token is configured)."""
    return bool(current_app.config.get("METRICS_TOKEN"))


def init_app(app):
    """Count every request of app (web/pipeline.py places these hooks around all the others)."""
    app.before_request(start)
    app.after_request(record)
