"""A catalog on PostgreSQL and a warehouse in an S3 bucket (moto's server standing in for R2/S3)."""
import io
import threading
import uuid

import duckdb
import pandas as pd
import psycopg
import pytest
from sqlalchemy.engine import make_url

from data import pipeline
from data.lake import iceberg
from data.lake.psd import content_hash, digests, tag_name
from data.schema import SERVING_NAME
from data.serving import follow
from data.sources import demo
from tests.data.conftest import declared, demo_values

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def shared(tmp_path, postgres_database, s3_store):
    """Return (settings of a fresh shared catalog and bucket for a first host, the S3 store)."""
    return {"BEANFLOWS_DATA_DIR": str(tmp_path / "host-a"), "ICEBERG_CATALOG_URI": postgres_database(),
            "REDIS_KEY_PREFIX": f"bf-test-{uuid.uuid4().hex[:8]}", **s3_store.warehouse()}, s3_store


COFFEE = declared("coffee")


def _demo(index):
    """Return (source name, Arrow values) of coffee's demo release index."""
    return demo_values(index)


def _release(index):
    """Return the id of coffee's demo release index."""
    return demo.release_id(COFFEE, index)


def _coffee_releases(table):
    """Return the release ids of coffee in the catalog, in order."""
    return [r["release_id"] for r in iceberg.commodity_releases(table) if r["commodity_code"] == COFFEE.code]


def _catalog_rows(config):
    """Return the iceberg_tables rows of the PostgreSQL catalog (psycopg directly, not pyiceberg)."""
    url = make_url(config["ICEBERG_CATALOG_URI"]).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as con:
        return con.execute("SELECT table_namespace, table_name, metadata_location FROM iceberg_tables").fetchall()


def _serving(data_dir, sql):
    """Return sql's answer on a data dir's serving file as a DataFrame."""
    with duckdb.connect(str(data_dir / SERVING_NAME), read_only=True) as con:
        return con.execute(sql).df()


def test_ingest_writes_the_catalog_to_postgresql_and_the_data_to_the_bucket(shared, tmp_path):
    config, store = shared
    summaries = pipeline.ingest_demo(config)
    rows = _catalog_rows(config)
    bucket = config["ICEBERG_WAREHOUSE"].split("/")[2]
    assert [(ns, name) for ns, name, _ in rows] == [("psd", "commodity_values")]
    assert rows[0][2].startswith(f"s3://{bucket}/warehouse/psd/commodity_values/metadata/")
    keys = store.keys(bucket)
    assert sum(key.endswith(".parquet") for key in keys) == 2 * demo.INITIAL_RELEASES  # coffee's and wheat's
    assert not (tmp_path / "host-a" / "warehouse").exists() and not (tmp_path / "host-a" / "catalog.db").exists()
    # Each release as the demo CSV has it, counted with pandas.
    expected = {(c.slug, demo.release_id(c, i)): len(pd.read_csv(io.StringIO(demo.demo_csv(c, i))))
                for c in (COFFEE, declared("wheat")) for i in range(3)}
    assert {(declared(s["commodities"][0]["commodity_code"]).slug, s["release_id"]): s["rows"]
            for s in summaries} == expected


def test_a_second_host_builds_the_same_serving_file_from_the_shared_catalog(shared, tmp_path):
    config, _ = shared
    pipeline.ingest_demo(config)
    host_b = {**config, "BEANFLOWS_DATA_DIR": str(tmp_path / "host-b")}
    state = follow.step(host_b)
    assert state["error"] is None and state["built"]["release_id"] == _release(demo.INITIAL_RELEASES - 1)
    for table in ("releases", "obt_commodity_metrics", "obt_commodity_metrics_history", "revisions"):
        query = f"SELECT * EXCLUDE (loaded_at) FROM {table} ORDER BY ALL" if table == "releases" else \
            f"SELECT * FROM {table} ORDER BY ALL"
        pd.testing.assert_frame_equal(_serving(tmp_path / "host-a", query), _serving(tmp_path / "host-b", query))
    again = follow.step(host_b)
    assert again["built"]["at"] == state["built"]["at"]  # nothing new: no rebuild


def test_a_host_that_cannot_reach_the_bucket_keeps_its_file_and_catches_up(shared, tmp_path):
    config, store = shared
    host_b = {**config, "BEANFLOWS_DATA_DIR": str(tmp_path / "host-b")}
    pipeline.ingest_demo(config)
    follow.step(host_b)
    served = tmp_path / "host-b" / SERVING_NAME
    before = served.read_bytes()
    source, values = _demo(demo.INITIAL_RELEASES)
    pipeline.store(config, values, source, "demo")
    store.gate.shut()
    try:
        state = follow.step(host_b)
    finally:
        store.gate.open()
    assert state["error"]["stage"] == "check the catalog" and "built" in state
    assert served.read_bytes() == before
    caught_up = follow.step(host_b)
    assert caught_up["error"] is None and caught_up["built"]["release_id"] == _release(demo.INITIAL_RELEASES)
    assert _serving(tmp_path / "host-b", "SELECT max(release_id) AS r FROM releases")["r"][0] == \
        _release(demo.INITIAL_RELEASES)


def test_an_identical_release_is_a_no_op_on_the_shared_catalog(shared):
    config, _ = shared
    source, values = _demo(0)
    first = pipeline.store(config, values, source, "demo")
    again = pipeline.store(config, values, source, "demo")
    table = iceberg.open_table(iceberg.open_catalog(config))
    assert first["new"] and not again["new"] and again["release_id"] == first["release_id"]
    assert len(table.snapshots()) == 1


def _racing(monkeypatch, source, rival):
    """Make each try of the load of source run rival(try number), another writer's whole load, just before it commits."""
    write = iceberg.write_snapshot
    tries = []

    def beaten(table, arrow, props):
        if props[f"{iceberg.PROP}source"] == source:
            tries.append(len(tries) + 1)
            rival(tries[-1])
        return write(table, arrow, props)

    monkeypatch.setattr(iceberg, "write_snapshot", beaten)
    return tries


def _store(config, index, source=None):
    """Load demo release index as another process would; return the summary."""
    name, values = _demo(index)
    return pipeline.store(config, values, source or name, "demo", export=False)


def test_the_loser_of_a_commit_race_retries_on_the_new_snapshot(shared, monkeypatch, caplog):
    config, _ = shared
    _store(config, 0)
    source, values = _demo(2)
    tries = _racing(monkeypatch, source, lambda attempt: attempt == 1 and _store(config, 1))
    summary = pipeline.store(config, values, source, "demo", export=False)
    assert summary["new"] and tries == [1, 2]  # beaten once, then written on the rival's snapshot
    assert "iceberg commit conflict" in caplog.text
    table = iceberg.open_table(iceberg.open_catalog(config))
    assert _coffee_releases(table) == [_release(i) for i in range(3)]
    assert content_hash(iceberg.scan(table)) == content_hash(values)
    assert table.refs()[tag_name(COFFEE.code, _release(2))].snapshot_id == table.current_snapshot().snapshot_id


def test_a_concurrent_identical_release_makes_the_loser_a_no_op(shared, monkeypatch):
    config, _ = shared
    source, values = _demo(0)
    tries = _racing(monkeypatch, source, lambda attempt: _store(config, 0, source="the same file, another host"))
    summary = pipeline.store(config, values, source, "demo", export=False)
    assert tries == [1] and not summary["new"] and summary["release_id"] == _release(0)
    assert len(iceberg.open_table(iceberg.open_catalog(config)).snapshots()) == 1


def test_a_load_beaten_every_time_stops_with_a_clear_message_and_writes_nothing(shared, monkeypatch):
    config, _ = shared
    _store(config, 0)
    source, values = _demo(4)
    tries = _racing(monkeypatch, source, lambda attempt: _store(config, attempt))
    with pytest.raises(iceberg.ConcurrentLoad, match="3 times in a row; this one wrote nothing: run it again"):
        pipeline.store(config, values, source, "demo")
    assert tries == [1, 2, 3]
    table = iceberg.open_table(iceberg.open_catalog(config))
    assert _coffee_releases(table) == [_release(i) for i in range(4)]
    assert tag_name(COFFEE.code, _release(4)) not in table.refs()


def test_simultaneous_loads_leave_a_consistent_catalog(shared):
    config, _ = shared
    _store(config, 0)
    loads = [_demo(i) for i in (1, 2, 3)]
    start, outcomes = threading.Barrier(len(loads)), {}

    def load(source, values):
        start.wait()
        try:
            outcomes[source] = pipeline.store(config, values, source, "demo", force=True, export=False)["new"]
        except Exception as exc:  # noqa: BLE001  (the assertion below names any other failure)
            outcomes[source] = f"{type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=load, args=pair) for pair in loads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = [source for source, outcome in outcomes.items() if outcome is True]
    assert len(outcomes) == 3 and written
    assert all(outcome is True or outcome.startswith("ConcurrentLoad: ") for outcome in outcomes.values()), outcomes
    table = iceberg.open_table(iceberg.open_catalog(config))
    history = iceberg.load_history(table)
    assert sorted(load["source"] for load in history[1:]) == sorted(written)
    # The current rows are exactly the last committed load's file.
    assert digests(iceberg.scan(table)) == {COFFEE.code: history[-1]["hashes"][COFFEE.code]}


def test_follow_once_and_releases_commands_on_the_shared_catalog(shared, tmp_path):
    from app import create_app
    from tests.conftest import base_config

    config, store = shared
    pipeline.ingest_demo(config)
    host_b = {**base_config(tmp_path, tmp_path / "host-b"), **{k: v for k, v in config.items()
                                                             if k != "BEANFLOWS_DATA_DIR"}}
    runner = create_app(host_b).test_cli_runner()
    listed = runner.invoke(args=["releases", "--commodity", "coffee"])
    latest = _release(demo.INITIAL_RELEASES - 1)
    assert listed.exit_code == 0 and listed.output.splitlines()[-1] == \
        f"  This host serves coffee release none (behind the catalog); the catalog's latest is {latest}."
    assert runner.invoke(args=["follow", "--once"]).exit_code == 0
    assert runner.invoke(args=["releases", "--commodity", "coffee"]).output.splitlines()[-1] == \
        f"  This host serves coffee release {latest}; the catalog's latest is {latest}."
    store.gate.shut()
    try:
        failed = runner.invoke(args=["follow", "--once"])
    finally:
        store.gate.open()
    assert failed.exit_code != 0 and "could not check the catalog" in failed.output
    assert "the last good serving file stays" in failed.output


def test_a_pink_sheet_edition_alone_reaches_a_following_host(shared, tmp_path):
    from tests.harness.live import PINK_SHEETS
    config, _ = shared
    pipeline.ingest_demo(config)
    host_b = {**config, "BEANFLOWS_DATA_DIR": str(tmp_path / "host-b")}
    first = follow.step(host_b)
    pipeline.ingest_prices(config, str(PINK_SHEETS[-1]))
    state = follow.step(host_b)
    assert state["error"] is None and state["built"]["at"] != first["built"]["at"]
    query = "SELECT * FROM prices_monthly ORDER BY ALL"
    expected = _serving(tmp_path / "host-a", query)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(_serving(tmp_path / "host-b", query), expected)
