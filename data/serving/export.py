"""Build serving.duckdb from the Iceberg tables into a temp file and swap it in."""
import fcntl
import os
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from data import commodities as declared
from data.lake import iceberg
from data.schema import SERVING_NAME
from data.serving import current_tables, enso_tables, prices_tables, releases
from data.serving.metrics_sql import declared_tables
from data.sources.psd import ARROW_SCHEMA

SERVING_TABLES = ("obt_commodity_metrics", "obt_world_metrics", "obt_country_ranks", "obt_coverage", "load_metadata",
                  "obt_other_attributes", *releases.TABLES, *enso_tables.TABLES)
# Columns a serving file written by an older version lacks: `ingest --if-empty` rebuilds such a file.
REQUIRED_COLUMNS = {"releases": "commodity_code", "obt_commodity_metrics": "in_world",
                    "load_metadata": "commodity_code"}
LOCK_NAME = ".serving.lock"


class ExportError(Exception):
    """The Iceberg table has nothing to export, or the file built is not fit to serve."""


# Serving tables of the other sources, each (its table names, builder(con, config)): one line per source.
SOURCE_BUILDERS = (
    (enso_tables.TABLES, enso_tables.export),
    (prices_tables.TABLES, prices_tables.export),
)
# Tables rebuilt whole when a release is added to a serving file (the others are added to).
CURRENT_TABLES = ("obt_commodity_metrics", "obt_world_metrics", "obt_country_ranks", "load_metadata")


def _sources(con, config):
    """Create the other sources' tables."""
    for _, builder in SOURCE_BUILDERS:
        builder(con, config)


def build(con, history, found, current, loads, catalog, config=None):
    """Create every serving table on con.

    history: Arrow values of every release served, with a release_id column; found: their release dicts
    (commodity_code, release_id, ...); current: {commodity code: the release obt_commodity_metrics serves};
    loads: iceberg.load_history; config: the settings the other sources' tables are read with.
    """
    for name, table in declared_tables(catalog).items():
        con.register(name, table)
    releases.build(con, history, found, catalog)
    current_tables.build(con, history, current, loads, catalog)
    _sources(con, config)


def update(con, added, needed, found, current, loads, catalog, config):
    """Add releases to a copy of a serving file on con, and rebuild its current tables.

    added: Arrow values of the new (or re-issued) releases; needed: theirs and the ones their revisions, and
    the next releases' revisions, compare (releases.add); the commodities whose latest release is among the
    added ones get new coverage and other attributes, the others keep theirs.
    """
    for name, table in declared_tables(catalog).items():
        con.register(name, table)
    releases.add(con, added, needed, found, catalog)
    changed = sorted({code for code, release_id in current.items()
                      if (code, release_id) in releases.keys_of(added)})
    for name in (*CURRENT_TABLES, *(table for tables, _ in SOURCE_BUILDERS for table in tables)):
        con.execute(f"DROP TABLE {name}")
    current_tables.build(con, needed, current, loads, catalog, changed)
    _sources(con, config)


def build_values(con, values, catalog=None, source="test", release_id=None, loaded_at=None):
    """Create the serving tables on con from Arrow values alone: one release per commodity in them."""
    catalog = catalog or declared.current()
    loaded_at = loaded_at or datetime(2024, 5, 1, tzinfo=timezone.utc)
    codes = sorted(set(values.column("commodity_code").to_pylist()))
    ids = {code: release_id or loaded_at.strftime("%Y-%m") for code in codes}
    found = [{"commodity_code": code, "release_id": ids[code], "loaded_at": loaded_at, "source": source,
              "source_kind": "file", "rows": 0, "snapshot_id": 1} for code in codes]
    load = {"snapshot_id": 1, "source": source, "source_kind": "file", "loaded_at": loaded_at, "rows": values.num_rows,
            "commodities": ",".join(codes), "releases": ids, "rows_by": {}}
    history = pa.concat_tables([releases.with_release(values.filter(pc.equal(values["commodity_code"], c)),
                                                      ids[c]) for c in codes])
    build(con, history, found, ids, [load], catalog)
    return con


def is_current(path):
    """Return True when the serving file at path holds every table (and column) this version serves."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            columns = con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall()
    except duckdb.Error:
        return False
    names = {table for table, _ in columns}
    return set(SERVING_TABLES) <= names and all((t, c) in set(columns) for t, c in REQUIRED_COLUMNS.items())


def check(path, latest):
    """Raise ExportError unless the file at path opens, holds every serving table and serves the latest releases.

    latest: {commodity code: the release id it must serve as its latest}.
    """
    if not is_current(path):
        raise ExportError(f"the new serving file lacks tables of {', '.join(SERVING_TABLES)}; not swapped in")
    with duckdb.connect(str(path), read_only=True) as con:
        served = dict(con.execute("SELECT commodity_code, max(release_id) FROM releases GROUP BY ALL").fetchall())
        values = con.execute("SELECT count(*) FROM obt_commodity_metrics").fetchall()[0][0]
    if served != latest or not values:
        raise ExportError(f"the new serving file serves releases {served} with {values} rows, not {latest}; "
                          "not swapped in")


def _current_values(table, codes, fresh):
    """Return the current rows of codes: fresh's (rows of the snapshot just written, still in memory) where given,
    read from Iceberg for the others."""
    if fresh is None or table.current_snapshot().snapshot_id != fresh[0]:
        return iceberg.scan(table, codes).cast(ARROW_SCHEMA)
    held = [code for code in codes if code in set(pc.unique(fresh[1]["commodity_code"]).to_pylist())]
    parts = [fresh[1].filter(pc.is_in(fresh[1]["commodity_code"], pa.array(held))).replace_schema_metadata(None)]
    others = [code for code in codes if code not in held]
    return pa.concat_tables(parts + ([iceberg.scan(table, others).cast(ARROW_SCHEMA)] if others else []))


@contextmanager
def _one_builder(data_dir):
    """Hold the data dir's build lock: builds run one after another, each reading the catalog once it holds it.

    So the last file swapped in was built from every commit before it started: a concurrent load that read the
    catalog before another's commit cannot swap its older file in after that one's.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def export(config, progress=None, fresh=None):
    """Write serving.duckdb from the current Iceberg snapshot; return its path.

    fresh: (snapshot id, Arrow rows) a load just wrote: used instead of reading them back while that snapshot
    is still the current one.
    """
    with _one_builder(Path(config["BEANFLOWS_DATA_DIR"])):
        return _export(config, progress, fresh)


def _export(config, progress, fresh):
    """Build and swap in the serving file (export's body, under the build lock)."""
    data_dir = Path(config["BEANFLOWS_DATA_DIR"])
    table = iceberg.open_table(iceberg.open_catalog(config))
    if table is None or table.current_snapshot() is None:
        raise ExportError("the Iceberg table has no data yet: run `flask --app app ingest` first")
    catalog = declared.for_config(config)
    found, last_loads, current = releases.listing(table, set(catalog.codes))
    if not found:
        raise ExportError("the Iceberg table holds no declared commodity: run `flask --app app ingest` first")
    latest = releases.current(found)
    target = data_dir / SERVING_NAME
    _drop_stale(data_dir)
    tmp = data_dir / f".{SERVING_NAME}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    added = _missing(target, found)
    try:
        if added is None:  # no file, one of an older version, or one serving releases the catalog no longer does
            values = _current_values(table, list(catalog.codes), fresh)
            history = releases.read(table, values, found, last_loads, progress)
            del values  # history holds the current rows too
            con = duckdb.connect(str(tmp))
            run = lambda: build(con, history, found, current, iceberg.load_history(table), catalog, config)  # noqa: E731
        else:  # add the new releases to a copy of the file served
            needed = _needed(found, added)
            values = _current_values(table, sorted({r["commodity_code"] for r in needed}), fresh)
            history = releases.read(table, values, needed, last_loads, progress)
            del values
            keys = {(r["commodity_code"], r["release_id"]) for r in added}
            rows = history.filter(pa.array([key in keys for key in zip(history["commodity_code"].to_pylist(),
                                                                        history["release_id"].to_pylist())]))
            shutil.copyfile(target, tmp)
            con = duckdb.connect(str(tmp))
            run = lambda: update(con, rows, history, found, current, iceberg.load_history(table), catalog,  # noqa: E731
                                 config)
        try:
            con.execute("BEGIN")
            run()
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        check(tmp, latest)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _drop_stale(data_dir):
    """Remove temp files of builds whose process is gone (killed mid-build): they would pile up otherwise."""
    for path in data_dir.glob(f".{SERVING_NAME}.*.tmp*"):
        pid = path.name[len(SERVING_NAME) + 2:].split(".")[0]
        if pid.isdigit() and not _running(int(pid)):
            path.unlink(missing_ok=True)


def _running(pid):
    """Return True while a process with pid exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale(config):
    """Return True when this data dir's serving file lacks a release the catalog serves (e.g. a load was killed
    after its commit), or is missing or of an older version, while the catalog has data."""
    table = iceberg.open_table(iceberg.open_catalog(config))
    if table is None or table.current_snapshot() is None:
        return False
    found = releases.listing(table, set(declared.for_config(config).codes))[0]
    target = Path(config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME
    return bool(found) and (not target.exists() or not is_current(target) or _missing(target, found) is not None)


def _missing(target, found):
    """Return the releases found that the serving file at target lacks or holds an older load of; None when the
    file must be built whole (absent, of an older version, serving what the catalog no longer serves, current)."""
    if not target.exists() or not is_current(target):
        return None
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            rows = con.execute("SELECT commodity_code, release_id, snapshot_id FROM releases").fetchall()
    except duckdb.Error:
        return None
    have = {(code, release_id): snapshot_id for code, release_id, snapshot_id in rows}
    if not set(have) <= {(r["commodity_code"], r["release_id"]) for r in found}:
        return None
    added = [r for r in found if have.get((r["commodity_code"], r["release_id"])) != r["snapshot_id"]]
    return added or None


def _needed(found, added):
    """Return the releases an addition reads: each added one, the one before it and the one after it (whose
    revisions now compare with the added one)."""
    keys = [(r["commodity_code"], r["release_id"]) for r in found]  # sorted by commodity, then release
    wanted = set()
    for release in added:
        at = keys.index((release["commodity_code"], release["release_id"]))
        wanted |= {n for n in (at - 1, at, at + 1) if 0 <= n < len(keys) and keys[n][0] == keys[at][0]}
    return [found[n] for n in sorted(wanted)]
