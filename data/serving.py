"""Read-only access to serving.duckdb that follows each atomic swap."""
import os
import threading
from pathlib import Path

import duckdb

from data.schema import SERVING_NAME


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

    def query(self, sql, params=()):
        """Run sql with bound params and return a pandas DataFrame."""
        return self.connection().execute(sql, list(params)).df()

    def fetchone(self, sql, params=()):
        """Run sql with bound params and return the first row."""
        return self.connection().execute(sql, list(params)).fetchone()
