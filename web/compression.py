"""Compress responses (brotli, else gzip) and let browsers keep versioned files for a year."""
from importlib.metadata import version

from dash.fingerprint import check_fingerprint
from flask import request
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
SUITES = "/_dash-component-suites/"
# Static files whose URLs Dash or Bootstrap-Flask version with a query (?m=, ?v=, a font hash).
VERSIONED_BY_QUERY = ("/assets/", "/bootstrap/static/", "/_favicon.ico")


def versioned():
    """Return True when this request's URL names one version of a file, so it may be cached forever."""
    if request.method != "GET":
        return False
    if request.path.startswith(SUITES):
        return check_fingerprint(request.path)[1]
    return bool(request.query_string) and request.path.startswith(VERSIONED_BY_QUERY)


class VersionedCache:
    """Keep compressed bodies of versioned files only (Flask-Compress asks for every response)."""

    # A page names ~30 files; the bound keeps made-up version strings from filling memory.
    LIMIT = 256

    def __init__(self):
        self.bodies = {}

    def get(self, key):
        """Return the compressed body stored under key, if any."""
        return self.bodies.get(key)

    def set(self, key, value):
        """Store value when key names a versioned file; callbacks and pages key as '<algorithm>;'."""
        if not key.endswith(";") and len(self.bodies) < self.LIMIT:
            self.bodies[key] = value


def _cache_key(req):
    """Return the full path of a versioned file, or '' (not cached) for anything else."""
    return req.full_path if versioned() else ""


def _cache_forever(response):
    """Mark versioned files immutable and read them whole, so they are compressed once, then cached."""
    if response.status_code == 200 and versioned():
        response.headers["Cache-Control"] = IMMUTABLE
        response.direct_passthrough = False
        response.make_sequence()
    return response


def version_stylesheets(dash_app):
    """Add Bootstrap-Flask's version to the page's local stylesheet URLs, so they are cached for good."""
    tag = f"v={version('Bootstrap-Flask')}"
    dash_app.config.external_stylesheets[:] = [
        f"{url}{'&' if '?' in url else '?'}{tag}" if isinstance(url, str) and url.startswith("/bootstrap/static/")
        else url for url in dash_app.config.external_stylesheets]


def init_app(server):
    """Compress after every other hook but the Server-Timing one, which then counts the compression."""
    server.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    server.config.setdefault("COMPRESS_CACHE_BACKEND", VersionedCache)
    server.config.setdefault("COMPRESS_CACHE_KEY", _cache_key)
    compress = Compress(server)
    hooks = server.after_request_funcs[None]
    hooks.remove(compress.after_request)
    # Hooks run last-registered first: index 1 runs just before the first one (timing's).
    hooks.insert(1, compress.after_request)
    hooks.insert(2, _cache_forever)
