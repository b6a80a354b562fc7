"""Compress responses (brotli, else gzip, as the browser accepts): each file and each known body once."""
import gzip
import hashlib
import os
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import brotli
from cachetools import LRUCache
from flask import current_app, g, request
from werkzeug.http import parse_accept_header
from werkzeug.security import safe_join

import registry

ENCODINGS = ("br", "gzip")
IMMUTABLE = "public, max-age=31536000, immutable"
MIMETYPES = frozenset({
    "text/html", "text/css", "text/plain", "text/javascript", "application/javascript", "application/json",
    "application/xml", "image/svg+xml", "text/csv",
})
MIN_SIZE = 500  # smaller bodies gain nothing worth a header
STORE_BYTES = 64 * 1024 * 1024  # compressed files and bodies kept per worker, least recently used dropped
BODY_KEY = "body_key"  # g attribute: a step that knows its body by a key (ui/response_cache.py) sets it


@lru_cache(maxsize=256)
def choose(accept_encoding):
    """Return the encoding an Accept-Encoding header takes most (ours break ties), or None for identity."""
    qualities = {}
    for value, quality in parse_accept_header(accept_encoding):
        qualities.setdefault(value.lower(), quality)  # an explicit q beats a wildcard, q=0 refuses
    wildcard = qualities.get("*", 0)
    ranked = [(qualities.get(e, wildcard), -i, e) for i, e in enumerate(ENCODINGS)]
    quality, _, encoding = max(ranked)
    return encoding if quality > 0 else None


def _compress(data, encoding, config):
    """Return data compressed with encoding at the app's level."""
    if encoding == "br":
        return brotli.compress(data, quality=config["COMPRESS_BR_LEVEL"])
    return gzip.compress(data, compresslevel=config["COMPRESS_LEVEL"], mtime=0)


class Store:
    """Compressed bytes by content: files by path and content hash, bodies by the key their step names."""

    def __init__(self, max_bytes=STORE_BYTES):
        self._digests = {}  # real path -> ((inode, size, mtime), content digest): bounded by the files served
        self._bodies = LRUCache(max_bytes, getsizeof=len)
        self._lock = threading.Lock()

    def file_digest(self, path):
        """Return (size, digest) of the file's current content, hashing it only when it changed on disk."""
        st = os.stat(path)
        signature = (st.st_ino, st.st_size, st.st_mtime_ns)
        known = self._digests.get(path)
        if known is None or known[0] != signature:
            with open(path, "rb") as handle:
                known = (signature, hashlib.blake2b(handle.read(), digest_size=16).hexdigest())
            self._digests[path] = known
        return st.st_size, known[1]

    def get(self, key, encoding, data):
        """Return the encoding of the body known by key, compressing data() only the first time."""
        with self._lock:
            found = self._bodies.get((key, encoding))
        if found is None:
            found = _compress(data(), encoding, current_app.config)
            with self._lock:
                self._bodies[(key, encoding)] = found
        return found


def _static_file(files):
    """Return (real path, versioned) of the file a static route answered this request with, or (None, False)."""
    endpoint = request.endpoint or ""
    if endpoint in files:
        path, fingerprinted = files[endpoint](request.view_args or {})
    elif endpoint == "static" or endpoint.endswith(".static"):
        blueprint = current_app.blueprints.get(endpoint.rsplit(".", 1)[0]) if "." in endpoint else current_app
        folder = getattr(blueprint, "static_folder", None)
        filename = (request.view_args or {}).get("filename")
        path, fingerprinted = (safe_join(folder, filename) if folder and filename else None), False
    else:
        return None, False
    # Dash, Bootstrap-Flask and ui/vendor.py name one version of a file with a query (?m=, ?v=): the query
    # only marks the URL as one version; the file is found, hashed and compressed by its path alone.
    versioned = fingerprinted or bool(request.query_string)
    return (os.path.realpath(path) if path and os.path.isfile(path) else None), versioned


def _replace_body(response, data, encoding):
    """Put the encoded body in response, closing the file it was going to stream."""
    if hasattr(response.response, "close"):
        response.response.close()
    response.direct_passthrough = False
    response.set_data(data)
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(f"{etag}:{encoding}")


def _vary(response):
    """Say that the answer depends on Accept-Encoding."""
    vary = response.headers.get("Vary", "")
    if "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"


@dataclass(eq=False)
class Compression:
    """One app's compression: the worker's store of compressed files and bodies, and the routes that send files."""

    store: Store
    files: dict = field(default_factory=dict)  # endpoint -> fn(view_args) -> (path on disk, fingerprinted)


def compress(response):
    """Compress the response as the browser accepts; a static file or a keyed body only once per worker."""
    started = time.perf_counter()
    state = registry.current().compression
    path, versioned = _static_file(state.files) if request.method in ("GET", "HEAD") else (None, False)
    if path and response.status_code == 200 and versioned:
        response.headers["Cache-Control"] = IMMUTABLE
    if (response.status_code < 200 or response.status_code >= 300 or response.mimetype not in MIMETYPES
            or "Content-Encoding" in response.headers or response.is_streamed and not path):
        return response
    _vary(response)
    encoding = choose(request.headers.get("Accept-Encoding", ""))
    if encoding is None:
        return response
    store = state.store
    if path:
        size, digest = store.file_digest(path)
        if response.content_length != size or size < MIN_SIZE:
            return response  # not the file on disk as it is now: leave the answer as the route made it
        data = store.get(("file", path, digest), encoding, lambda: open(path, "rb").read())
    else:
        key = g.get(BODY_KEY)
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        data = store.get(("body", key), encoding, lambda: body) if key else _compress(body, encoding, current_app.config)
    _replace_body(response, data, encoding)
    if request.method in ("GET", "HEAD"):
        response.make_conditional(request)
    g.compress_ms = (time.perf_counter() - started) * 1000
    return response


def init_app(app, files=None):
    """Compress app's responses; files maps endpoints serving files to fn(view_args) -> (path, fingerprinted)."""
    registry.of(app).compression = Compression(Store(), dict(files or {}))
    app.after_request(compress)
