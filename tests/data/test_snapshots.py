"""Loads keep history in Iceberg; exports swap under readers safely."""
import threading

import duckdb

from data.serving import export

from data.lake import iceberg

from data import pipeline
from data.serving.reader import ServingFile
from tests.conftest import RAW_ZIP
from tests.data.conftest import declare, read_serving, with_declarations


def test_identical_content_adds_no_snapshot_and_the_rows_match_the_file(tmp_path, raw_frame):
    config = {"BEANFLOWS_DATA_DIR": str(tmp_path / "data")}
    first = pipeline.ingest(config, str(RAW_ZIP))
    second = pipeline.ingest(config, str(RAW_ZIP))
    assert first["new"] and not second["new"]
    assert second["release_id"] == first["release_id"]
    table = iceberg.open_table(iceberg.open_catalog(config))
    assert [s.snapshot_id for s in table.snapshots()] == [first["snapshot_id"]]
    assert table.scan().to_arrow().num_rows == len(raw_frame)
    meta = read_serving(tmp_path / "data", "SELECT * FROM load_metadata ORDER BY loaded_at, snapshot_id")
    assert meta["snapshot_id"].tolist() == [first["snapshot_id"]]
    rows = read_serving(tmp_path / "data", "SELECT count(*) AS n FROM obt_commodity_metrics")["n"][0]
    assert rows == len(raw_frame[["Country_Name", "Market_Year"]].drop_duplicates())


def _load_tea(data_dir, tmp_path):
    """Load Brazil's 2020 coffee rows relabelled as tea, a commodity declared only in this test, into data_dir."""
    text = (RAW_ZIP.parent / "psd_coffee.csv").read_text().splitlines()
    header, rows = text[0], [r for r in text[1:] if ",BRA,Brazil,2020," in r]
    tea = [r.replace("0711100", "0712000").replace('"Coffee, Green"', "Tea") for r in rows]
    source = tmp_path / "tea.csv"
    source.write_text("\n".join([header, *tea]) + "\n")
    config = with_declarations({"BEANFLOWS_DATA_DIR": str(data_dir)}, declare(tmp_path / "declared", "tea", "0712000"))
    return pipeline.ingest(config, str(source), commodities=["tea"])


def test_other_commodities_load_beside_coffee(tmp_path, demo_dir):
    _load_tea(demo_dir, tmp_path)
    counts = read_serving(demo_dir, "SELECT commodity_code, count(*) AS n FROM obt_commodity_metrics GROUP BY 1 ORDER BY 1")
    demo_rows = read_serving(demo_dir, "SELECT count(*) AS n FROM obt_world_metrics WHERE commodity_code = '0711100'")
    assert counts["commodity_code"].tolist() == ["0711100", "0712000"]
    assert counts["n"].tolist()[1] == 1
    assert demo_rows["n"][0] > 30


def test_readers_keep_answering_while_export_swaps_the_file(demo_dir, tmp_path):
    reader = ServingFile(demo_dir)
    errors, seen, done = [], set(), threading.Event()

    def read_loop():
        while not done.is_set():
            try:
                seen.add(reader.version())
                total = reader.fetchone("SELECT sum(production) FROM obt_world_metrics")[0]
                assert total > 0
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))

    threads = [threading.Thread(target=read_loop) for _ in range(3)]
    for thread in threads:
        thread.start()
    for _ in range(4):
        export.export({"BEANFLOWS_DATA_DIR": str(demo_dir)})
    done.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(seen) >= 2
    # The same reader then follows a swap to a file with different content.
    assert reader.fetchone("SELECT count(DISTINCT commodity_code) FROM obt_commodity_metrics")[0] == 1
    _load_tea(demo_dir, tmp_path)
    assert reader.fetchone("SELECT count(DISTINCT commodity_code) FROM obt_commodity_metrics")[0] == 2


def test_if_empty_rebuilds_a_serving_file_from_an_older_version(tmp_path, demo_dir):
    from app import create_app
    from tests.conftest import base_config

    app = create_app(base_config(tmp_path, demo_dir))
    runner = app.test_cli_runner()
    before = read_serving(demo_dir, "SELECT * FROM obt_country_ranks ORDER BY ALL")
    assert runner.invoke(args=["ingest", "--if-empty"]).output.startswith("Data already loaded; skipping")

    con = duckdb.connect(str(demo_dir / "serving.duckdb"))
    con.execute("DROP TABLE obt_country_ranks")  # as written by a version before the table existed
    con.close()
    snapshots = len(iceberg.open_table(iceberg.open_catalog({"BEANFLOWS_DATA_DIR": str(demo_dir)})).snapshots())
    result = runner.invoke(args=["ingest", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "rebuilding the serving file" in result.output
    after = read_serving(demo_dir, "SELECT * FROM obt_country_ranks ORDER BY ALL")
    assert after.equals(before)
    # Rebuilt from the catalog, not loaded again.
    assert len(iceberg.open_table(iceberg.open_catalog({"BEANFLOWS_DATA_DIR": str(demo_dir)})).snapshots()) == snapshots
