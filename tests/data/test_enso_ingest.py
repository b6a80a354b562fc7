"""`flask enso ingest`: NOAA's ONI file as its own Iceberg table with releases, served beside PSD.

A bad file changes nothing.
"""
import hashlib

import pytest

from app import create_app
from data import pipeline
from data.lake import enso as enso_store
from tests.conftest import base_config
from tests.data.conftest import read_serving
from tests.data.enso_fixtures import ONI_LINES, ONI_TEXT, oni_frame, with_line
from tests.harness.live import ONI_TXT


@pytest.fixture
def enso_dir(demo_dir):
    """Return a demo data dir with the real ONI file loaded too."""
    pipeline.ingest_enso({"BEANFLOWS_DATA_DIR": str(demo_dir)}, str(ONI_TXT))
    return demo_dir


def _runner(tmp_path, data_dir, **settings):
    """Return a CLI runner of an app on data_dir."""
    return create_app({**base_config(tmp_path, data_dir), **settings}).test_cli_runner()


def _state(data_dir):
    """Return the serving file's hash and the ONI table's snapshot ids."""
    digest = hashlib.sha256((data_dir / "serving.duckdb").read_bytes()).hexdigest()
    table = enso_store.open_table({"BEANFLOWS_DATA_DIR": str(data_dir)})
    return digest, [s.snapshot_id for s in table.snapshots()] if table else []


def test_every_season_equals_the_file(enso_dir):
    expected = oni_frame()
    served = read_serving(enso_dir, "SELECT season, year, total, oni FROM enso_seasons ORDER BY year, season_index")
    assert len(served) == len(expected) == 919
    assert served["season"].tolist() == expected["season"].tolist()
    assert served["year"].tolist() == expected["year"].tolist()
    assert served["total"].tolist() == expected["total"].tolist()
    assert served["oni"].tolist() == expected["oni"].tolist()
    releases = read_serving(enso_dir, "SELECT release_id, rows, last_season FROM enso_releases")
    assert releases.to_dict("records") == [{"release_id": "2026-08", "rows": 919, "last_season": "JJA 2026"}]


def test_cli_loads_and_an_identical_reload_adds_nothing(demo_dir, tmp_path):
    runner = _runner(tmp_path, demo_dir)
    first = runner.invoke(args=["enso", "ingest", str(ONI_TXT)])
    assert first.exit_code == 0, first.output
    assert "Loaded 919 ONI seasons (DJF 1950 to JJA 2026, file) as ENSO release 2026-08" in first.output
    before = _state(demo_dir)
    again = runner.invoke(args=["enso", "ingest", str(ONI_TXT)])
    assert again.exit_code == 0, again.output
    assert "No new ENSO release" in again.output
    assert _state(demo_dir) == before


def test_a_rebased_file_is_a_new_release_and_history_keeps_both(enso_dir, tmp_path):
    rebased = tmp_path / "oni.txt"
    rebased.write_text(with_line(len(ONI_LINES), "  JJA 2026  29.09   1.70"))
    result = _runner(tmp_path, enso_dir).invoke(args=["enso", "ingest", str(rebased), "--release", "2026-09"])
    assert result.exit_code == 0, result.output
    history = read_serving(enso_dir, "SELECT release_id, season, year, oni FROM enso_seasons_history "
                                     "WHERE year = 2026 AND season = 'JJA' ORDER BY release_id")
    assert history[["release_id", "oni"]].values.tolist() == [["2026-08", 1.80], ["2026-09", 1.70]]
    latest = read_serving(enso_dir, "SELECT oni FROM enso_seasons WHERE year = 2026 AND season = 'JJA'")
    assert latest["oni"].tolist() == [1.70]
    releases = read_serving(enso_dir, "SELECT release_id, revised_seasons FROM enso_releases ORDER BY 1")
    assert releases["revised_seasons"].tolist()[1] == 1
    listed = _runner(tmp_path, enso_dir).invoke(args=["enso", "releases"])
    assert "2026-08" in listed.output and "2026-09" in listed.output


# (name, text of the bad file, what the message must say)
BAD_FILES = {
    "bad number": (with_line(5, "  MAM 1950  26.24  -1.O8"), "line 5: ANOM '-1.O8' is not a number"),
    "missing season": (with_line(6, None), "line 6: expected AMJ 1950, found MJJ 1950"),
    "html error page": ("<!DOCTYPE html>\n<html><body><h1>503 Service Unavailable</h1></body></html>\n",
                        "line 1: an HTML page, not NOAA's ONI file"),
    "wrong header": (ONI_TEXT.replace("TOTAL", "MEAN", 1), "line 1: expected the header 'SEAS YR TOTAL ANOM'"),
    "implausible anomaly": (with_line(3, "  JFM 1950  25.36  -12.0"), "line 3: ANOM '-12.0' is outside"),
    "implausible temperature": (with_line(3, "  JFM 1950  2.536  -1.20"), "line 3: TOTAL '2.536' is outside"),
    "seasons out of order": (with_line(3, "  FMA 1950  25.36  -1.20"), "line 3: expected JFM 1950, found FMA 1950"),
    "empty file": ("", "the file is empty"),
    "header only": (ONI_LINES[0] + "\n", "no seasons after the header"),
    "short line": (with_line(4, "  FMA 1950  25.88"), "line 4: expected 4 fields"),
    "wrong file": ("Commodity_Code,Country_Code,Value\n0711100,BRA,1\n", "expected the header"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_and_the_serving_file_is_byte_identical(case, enso_dir, tmp_path):
    text, message = BAD_FILES[case]
    source = tmp_path / "oni.txt"
    source.write_text(text)
    before = _state(enso_dir)
    result = _runner(tmp_path, enso_dir).invoke(args=["enso", "ingest", str(source)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Nothing was written; the ENSO data served is unchanged." in result.output
    assert _state(enso_dir) == before


def test_a_truncated_file_is_refused_unless_forced(enso_dir, tmp_path):
    source = tmp_path / "oni.txt"
    source.write_text("\n".join(ONI_LINES[:-24]) + "\n")
    before = _state(enso_dir)
    runner = _runner(tmp_path, enso_dir)
    refused = runner.invoke(args=["enso", "ingest", str(source)])
    assert refused.exit_code == 1 and "holds 895 seasons, the last release 919" in refused.output
    assert _state(enso_dir) == before
    forced = runner.invoke(args=["enso", "ingest", str(source), "--force"])
    assert forced.exit_code == 0, forced.output
    assert read_serving(enso_dir, "SELECT count(*) AS n FROM enso_seasons")["n"].tolist() == [895]


def test_an_unreachable_url_says_so_and_writes_nothing(enso_dir, tmp_path):
    before = _state(enso_dir)
    runner = _runner(tmp_path, enso_dir, ENSO_SOURCE_URL="http://127.0.0.1:9/oni.ascii.txt")
    result = runner.invoke(args=["enso", "ingest", "--timeout", "2"])
    assert result.exit_code == 1
    assert "http://127.0.0.1:9/oni.ascii.txt: download failed" in result.output
    assert _state(enso_dir) == before


def test_psd_loads_keep_the_enso_tables_and_demo_runs_without_them(enso_dir, demo_dir, tmp_path):
    from data.serving import export

    export.export({"BEANFLOWS_DATA_DIR": str(enso_dir)})
    assert read_serving(enso_dir, "SELECT count(*) AS n FROM enso_seasons")["n"].tolist() == [919]
    bare = tmp_path / "bare"
    from tests.data.conftest import demo_values, pipeline

    pipeline.store({"BEANFLOWS_DATA_DIR": str(bare)}, demo_values(0)[1], "demo", "demo")
    assert read_serving(bare, "SELECT count(*) AS n FROM enso_seasons")["n"].tolist() == [0]
    assert export.is_current(bare / "serving.duckdb")
