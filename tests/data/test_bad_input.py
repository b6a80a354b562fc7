"""A malformed file fails with a message naming the problem and changes nothing."""
import hashlib
import io
import zipfile

import pytest

from app import create_app
from data import pipeline
from data.lake import iceberg
from tests.conftest import RAW_CSV, RAW_ZIP, base_config
from tests.data.conftest import demo_values

HEADER = RAW_CSV.read_text().splitlines()[0]
GOOD_LINE = '0711100,"Coffee, Green",BRA,Brazil,2020,,,028,Production,02,(1000 60 KG BAGS),69900.0000'


def _csv(*lines, header=HEADER):
    """Return CSV bytes with the given data lines."""
    return ("\n".join([header, *lines]) + "\n").encode()


def _zip(payload, name="psd_coffee.csv"):
    """Return payload zipped like USDA's download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, payload)
    return buffer.getvalue()


CASES = {
    "non-numeric value": ("bad.csv", _csv(GOOD_LINE, GOOD_LINE.replace("2020", "2021").replace("69900.0000", "12O4")), "line 3: Value '12O4' is not a number"),
    "missing column": ("bad.csv", _csv("x", header=HEADER.replace(",Value", "")), "missing column(s) Value"),
    "truncated zip": ("bad.zip", RAW_ZIP.read_bytes()[: 200_000], "zip"),
    "empty file": ("bad.csv", b"", "the file is empty"),
    "header only": ("bad.csv", _csv(), "no data rows"),
    "unknown unit": ("bad.csv", _csv(GOOD_LINE.replace("(1000 60 KG BAGS)", "(1000 LBS)")), "line 2: unknown unit '(1000 LBS)'"),
    "non-integer year": ("bad.csv", _csv(GOOD_LINE.replace(",2020,", ",2020.5,")), "line 2: Market_Year '2020.5' is not an integer"),
    "duplicate key": ("bad.csv", _csv(GOOD_LINE, GOOD_LINE), "line 3: duplicate of line 2"),
    "short row": ("bad.csv", _csv(GOOD_LINE.rsplit(",", 1)[0]), "line 2: expected 12 fields, found 11"),
    "not a zip inside": ("bad.zip", _zip(b"", name="readme.txt"), "expected one CSV in the zip, found 0"),
}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    """Return a data dir holding the first coffee demo release, stored once for this module's tests."""
    # Shared: each test compares the dir before and after its own load, so a load that wrote fails that test.
    data_dir = tmp_path_factory.mktemp("bad-input") / "data"
    source, values = demo_values(0)
    pipeline.store({"BEANFLOWS_DATA_DIR": str(data_dir)}, values, source, "demo")
    return data_dir


def _state(data_dir):
    """Return the serving file's hash and the Iceberg snapshot ids."""
    digest = hashlib.sha256((data_dir / "serving.duckdb").read_bytes()).hexdigest()
    table = iceberg.open_table(iceberg.open_catalog({"BEANFLOWS_DATA_DIR": str(data_dir)}))
    return digest, [s.snapshot_id for s in table.snapshots()]


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_rejected_and_nothing_changes(case, demo_dir, tmp_path):
    name, payload, message = CASES[case]
    source = tmp_path / name
    source.write_bytes(payload)
    before = _state(demo_dir)
    runner = create_app(base_config(tmp_path, demo_dir)).test_cli_runner()
    result = runner.invoke(args=["ingest", str(source)])
    assert result.exit_code != 0
    assert str(source) in result.output
    assert message in result.output
    assert "Nothing was written" in result.output
    assert _state(demo_dir) == before


def test_missing_source_is_rejected(demo_dir, tmp_path):
    runner = create_app(base_config(tmp_path, demo_dir)).test_cli_runner()
    result = runner.invoke(args=["ingest", str(tmp_path / "nope.zip")])
    assert result.exit_code != 0
    assert "no such file" in result.output


def test_unreachable_url_falls_back_to_demo_only_when_asked(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(base_config(tmp_path, data_dir))
    runner = app.test_cli_runner()
    url = "http://127.0.0.1:9/psd_coffee_csv.zip"
    result = runner.invoke(args=["ingest", url, "--timeout", "2"])
    assert result.exit_code != 0 and "download failed" in result.output
    assert not (data_dir / "serving.duckdb").exists()
    result = runner.invoke(args=["ingest", url, "--timeout", "2", "--fallback-demo"])
    assert result.exit_code == 0, result.output
    assert "DEMO DATA" in result.output
    assert (data_dir / "serving.duckdb").exists()
    # Every page's banner says why the figures are generated (tests/ui/test_demo_banner.py: chosen ones).
    from tests.ui.test_demo_banner import served_pages
    from ui.freshness import DEMO_FALLBACK

    assert all(DEMO_FALLBACK in page for page in served_pages(app).values())
