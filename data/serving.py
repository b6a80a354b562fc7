"""Read-only access to serving.duckdb that follows each atomic swap."""
import os
import threading
from pathlib import Path

import duckdb

from data.schema import SERVING_NAME


class NoData(Exception):
    """serving.duckdb does not exist yet."""


class ServingFile:
    """Per-thread read-only connections to the current serving file."""

    def __init__(self, data_dir):
        self.path = Path(data_dir) / SERVING_NAME
        self._local = threading.local()

    def version(self):
        """Return a token that changes whenever a new file is swapped in."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError as exc:
            raise NoData(f"{self.path} does not exist: run `flask --app app ingest`") from exc
        return f"{st.st_ino}-{st.st_mtime_ns}"

    def connection(self):
        """Return this thread's connection, reopened if the file was swapped."""
        version = self.version()
        local = self._local
        if getattr(local, "version", None) != version:
            old = getattr(local, "con", None)
            # A fresh in-memory instance per open: duckdb.connect(path) would reuse
            # a cached instance of the file this path named before the swap.
            con = duckdb.connect(":memory:", config={"threads": 1})
            con.execute("ATTACH ? AS serving (READ_ONLY)", [str(self.path)])
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
