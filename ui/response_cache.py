"""Answer a repeated chart callback from the cache, inside the gate: only charts drawn for validated inputs."""
import logging

from flask import Response, g, request

import registry
from auth.access import CALLBACK_PATH
from data.serving import reader as serving
from extensions import cache

log = logging.getLogger(__name__)

# g attribute naming a body by its content: web/compression.py then compresses it once per worker.
BODY_KEY = "body_key"


def declare(app, output_key, validated):
    """Let answers of the chart callback output_key be kept under validated(input values) (None: not valid)."""
    registry.of(app).chart_keys[output_key] = validated


def drawn():
    """Mark this request's chart answer as drawn for its inputs: the one kind of answer the cache keeps."""
    g.response_cache_drawn = True


def _key():
    """Return the cache key of this chart callback request's validated inputs, or None (not kept, not served)."""
    if request.method != "POST" or request.path != CALLBACK_PATH or not serving.cache_enabled():
        return None
    body = request.get_json(silent=True)  # judged by the gate: it matches the callback's declared inputs
    validated = registry.current().chart_keys.get(body.get("output")) if isinstance(body, dict) else None
    if validated is None:
        return None
    try:
        parts = validated([item.get("value") for item in body["inputs"]])
        return None if parts is None else serving.cache_key("view-response", parts)
    except Exception:  # the callback answers (and says what failed); nothing is served from or kept in the cache
        log.warning("chart inputs not validated for the response cache", exc_info=True)
        return None


def serve_cached():
    """Return the stored answer of a chart callback with the same validated inputs, if any."""
    key = _key()
    if key is None:
        return None
    payload = cache.get(key)
    g.response_cache_result = "miss" if payload is None else "hit"  # counted by web/metrics.py
    if payload is None:
        g.response_cache_key = key
        return None
    setattr(g, BODY_KEY, key)
    return Response(payload, mimetype="application/json")


def store(response):
    """Keep the answer for the next request with the same validated inputs, when the chart was drawn."""
    key = g.pop("response_cache_key", None)
    if key is not None and response.status_code == 200 and g.pop("response_cache_drawn", False):
        cache.set(key, response.get_data())
    return response


def init_app(app):
    """Register the cache's steps (web/pipeline.py runs them inside the gate and CSRF checks)."""
    app.before_request(serve_cached)
    app.after_request(store)
