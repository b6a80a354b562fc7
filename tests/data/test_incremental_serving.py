"""A new release is added to the serving file (reading only its neighbours) and serves what a full build serves."""
import hashlib

import duckdb
import pytest

from data import pipeline
from data.lake.guards import LoadRefused
from data.serving import export
from tests.data.live_layout import to_live, write_zip
from tests.harness.releases import edit, release_frames


def tables(path):
    """Return {table: its rows sorted} of a serving file."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr) for name in names}


def sha(path):
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def loads(tmp_path_factory):
    """Return (folder, {release id: zip}): the three releases with known edits and a late 2024-07."""
    folder = tmp_path_factory.mktemp("incremental")
    frames = release_frames()
    frames["2024-07"] = edit(frames["2024-06"], "Brazil", 2021, "028", 1.1)
    return folder, {rid: write_zip(to_live(frame, *map(int, rid.split("-"))), folder / f"psd_{rid}.zip")
                    for rid, frame in frames.items()}


def test_each_release_added_serves_what_a_full_build_serves(loads, tmp_path):
    _, zips = loads
    config = {"BEANFLOWS_DATA_DIR": str(tmp_path / "data")}
    serving = tmp_path / "data" / "serving.duckdb"
    for release_id in ("2024-06", "2024-09", "2024-12", "2024-07"):  # the last one late, between two others
        read = []
        pipeline.ingest(config, str(zips[release_id]), progress=read.append, force=True)
        reading = [line for line in read if line.startswith("reading release")]
        if release_id == "2024-06":
            assert len(reading) == 1
        else:  # the new one and its neighbours only, never every release
            assert 1 <= len(reading) <= 3 and all(line.endswith(f"/{len(reading)})") for line in reading), reading
        incremental = tables(serving)
        serving.unlink()
        export.export(config)  # built whole, as without a file
        assert tables(serving) == incremental, release_id
    with duckdb.connect(str(serving), read_only=True) as con:
        revised = con.execute("SELECT previous_release_id FROM releases WHERE release_id = '2024-09'").fetchall()
    assert revised == [("2024-07",)]


def test_a_refused_load_leaves_the_serving_file_byte_identical(loads, tmp_path):
    _, zips = loads
    config = {"BEANFLOWS_DATA_DIR": str(tmp_path / "data")}
    pipeline.ingest(config, str(zips["2024-09"]))
    serving = tmp_path / "data" / "serving.duckdb"
    before = sha(serving)
    with pytest.raises(LoadRefused, match="1 country missing"):
        pipeline.ingest(config, str(zips["2024-12"]))  # drops a country: refused without --force
    assert sha(serving) == before
    assert not [p.name for p in serving.parent.iterdir() if p.name.endswith(".tmp")]
