"""Answer repeated chart callbacks from the cache once the gate has let them through, compressed once."""
import functools
import gzip

import brotli
import orjson
from flask import Response, current_app, g, request
from werkzeug.http import parse_accept_header

from auth.chart_users import chart_request
from data import serving
from extensions import cache

ENCODINGS = ("br", "gzip")


def _key():
    """Return the cache key of this chart callback request, or None when it is not one."""
    if not serving.cache_enabled():
        return None
    body = chart_request()
    if body is None:
        return None
    # A chart's view depends only on its inputs and the data; access was checked by the gate.
    try:
        inputs = orjson.dumps([body.get("output"), body.get("inputs")], option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # e.g. an integer past 64 bits: such a request is not worth keeping
        return None
    return serving.cache_key("view-response", inputs)


def _encoding(size=None):
    """Return the configured encoding the browser takes (for a body of size bytes, when known), or None."""
    config = current_app.config
    if size is not None and size < config.get("COMPRESS_MIN_SIZE", 500):
        return None
    return _preferred(request.headers.get("Accept-Encoding", ""), tuple(config.get("COMPRESS_ALGORITHM", ())))


@functools.lru_cache(maxsize=256)
def _preferred(accept_encoding, algorithms):
    """Return the first of algorithms that an Accept-Encoding header takes, or None (browsers send a few)."""
    accepted = parse_accept_header(accept_encoding)
    return next((e for e in algorithms if e in ENCODINGS and accepted.quality(e) > 0), None)


def _encoded(body, encoding):
    """Return a JSON response of body already compressed with encoding."""
    # Flask-Compress leaves encoded bodies alone.
    return Response(body, mimetype="application/json", headers={"Content-Encoding": encoding, "Vary": "Accept-Encoding"})


def _compress(payload, encoding):
    """Return payload compressed as Flask-Compress would with the app's levels."""
    config = current_app.config
    if encoding == "br":
        return brotli.compress(payload, quality=config.get("COMPRESS_BR_LEVEL", 4))
    return gzip.compress(payload, compresslevel=config.get("COMPRESS_LEVEL", 6))


def serve_cached():
    """Return the stored response of an identical chart callback request, if any, compressed as accepted."""
    key = _key()
    if key is None:
        return None
    # Most answers go out compressed: one cache read finds those bytes (only stored once over the minimum size).
    encoding = _encoding()
    compressed = cache.get(f"{key}:{encoding}") if encoding else None
    if compressed is not None:
        return _encoded(compressed, encoding)
    payload = cache.get(key)
    if payload is None:
        g.response_cache_key = key
        return None
    encoding = _encoding(len(payload))
    if encoding is None:
        return Response(payload, mimetype="application/json")
    # Compressing is most of what an answer from the cache costs: keep each encoding's bytes too.
    compressed = _compress(payload, encoding)
    cache.set(f"{key}:{encoding}", compressed)
    return _encoded(compressed, encoding)


def store(response):
    """Keep a successful chart callback response for the next identical request."""
    key = g.pop("response_cache_key", None)
    if key is not None and response.status_code == 200:
        cache.set(key, response.get_data())
    return response


def init_app(app):
    """Register the cache hooks after the gate and CSRF checks."""
    app.before_request(serve_cached)
    app.after_request(store)
