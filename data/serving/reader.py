"""Read-only access to serving.duckdb that follows each atomic swap, and the query cache over it."""
import hashlib
import inspect
import os
import threading
from functools import wraps
from pathlib import Path

import duckdb
from flask import current_app

import registry
from data.serving import as_of
from data.schema import SERVING_NAME
from extensions import cache


class NoData(Exception):
    """serving.duckdb does not exist yet."""


class ServingFile:
    """One read-only DuckDB instance per process on the current serving file; a cursor per thread."""

    def __init__(self, data_dir):
        self.path = Path(data_dir) / SERVING_NAME
        self._local = threading.local()
        self._lock = threading.Lock()
        self._shared = (None, None)

    def version(self):
        """Return a token that changes whenever a new file is swapped in."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError as exc:
            raise NoData(f"{self.path} does not exist: run `flask --app app ingest`") from exc
        return f"{st.st_ino}-{st.st_mtime_ns}"

    def _database(self, version):
        """Return the process's connection to this version of the file, opening it on first use."""
        with self._lock:
            if self._shared[0] != version:
                # A fresh in-memory instance per version: duckdb.connect(path) would reuse
                # a cached instance of the file this path named before the swap. Threads
                # still reading the old one keep it alive through their cursors.
                con = duckdb.connect(":memory:", config={"threads": 1})
                con.execute("ATTACH ? AS serving (READ_ONLY)", [str(self.path)])
                self._shared = (version, con)
            return self._shared[1]

    def connection(self):
        """Return this thread's cursor, moved to the new file after a swap."""
        version = self.version()
        local = self._local
        if getattr(local, "version", None) != version:
            old = getattr(local, "con", None)
            con = self._database(version).cursor()  # cursors share the instance and its block cache
            con.execute("USE serving")
            local.con, local.version = con, version
            if old is not None:
                old.close()
        return local.con

    def fetchone(self, sql, params=()):
        """Run sql with bound params on this thread's cursor and return the first row."""
        return self.connection().execute(sql, list(params)).fetchone()


def init_app(app):
    """Attach the serving file reader to app."""
    registry.of(app).serving = ServingFile(app.config["BEANFLOWS_DATA_DIR"])


def serving():
    """Return the app's serving file reader."""
    return registry.current().serving


def cache_enabled():
    """Return True when query results may be cached."""
    return current_app.config["QUERY_CACHE_ENABLED"]


def cache_key(namespace, args):
    """Return the cache key of args under namespace for the current serving file version."""
    return f"{namespace}:{serving().version()}:{hashlib.sha1(repr(args).encode()).hexdigest()}"


def cached(fn):
    """Run fn(connection, *args) on this thread's serving cursor, cached by args, release and file version.

    A query taking release= gets the request's release (data.as_of) unless the caller names one.
    fn itself stays reachable as .uncached, to run on any DuckDB connection.
    """
    takes_release = "release" in inspect.signature(fn).parameters

    @wraps(fn)
    def wrapper(*args, release=None):
        extra = {"release": release or as_of.current()} if takes_release else {}
        if not cache_enabled():
            return fn(serving().connection(), *args, **extra)
        key = cache_key(f"q:{fn.__module__}.{fn.__qualname__}", (args, extra))
        result = cache.get(key)
        if result is None:
            result = fn(serving().connection(), *args, **extra)
            cache.set(key, result)
        return result

    wrapper.uncached = fn
    return wrapper
