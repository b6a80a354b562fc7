"""Loading grains beside coffee: releases per commodity, no-ops, --commodity, PSD's all-data file, refusals."""
import csv
import hashlib
import io
import zipfile

import pytest

from app import create_app
from data.lake import iceberg
from tests.conftest import base_config
from tests.data import grains
from tests.data.conftest import read_serving
from tests.data.grains import CORN, WHEAT

pytestmark = pytest.mark.data  # reads ../shared/data's grains file (tests/data/grains.py)

COUNTRIES = ("US", "CH", "E4", "AR", "RS", "EG")


def _rows(codes=(WHEAT, CORN), countries=COUNTRIES):
    """Return the raw grains lines (header first) of some commodities and countries, as USDA wrote them."""
    lines = grains.raw_text().splitlines()
    wanted = [line for line in lines[1:] if line[:7] in codes and line.split(",")[2] in countries]
    return [lines[0], *wanted]


def _zip(path, lines, member="psd_grains_pulses.csv"):
    """Write lines as a zipped CSV like USDA's download; return path."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, "\r\n".join(lines) + "\r\n")
    return path


def _state(data_dir):
    """Return the serving file's hash and the Iceberg snapshot ids."""
    digest = hashlib.sha256((data_dir / "serving.duckdb").read_bytes()).hexdigest()
    table = iceberg.open_table(iceberg.open_catalog({"BEANFLOWS_DATA_DIR": str(data_dir)}))
    return digest, [s.snapshot_id for s in table.snapshots()]


@pytest.fixture
def runner(tmp_path, demo_dir):
    """Return a CLI runner of an app on a data dir holding coffee demo data."""
    return create_app(base_config(tmp_path, demo_dir)).test_cli_runner()


def test_each_commodity_is_a_release_of_its_own_and_a_repeat_is_a_no_op(runner, demo_dir, tmp_path):
    source = _zip(tmp_path / "grains.zip", _rows())
    coffee = read_serving(demo_dir, "SELECT release_id, snapshot_id FROM releases")
    first = runner.invoke(args=["ingest", str(source)])
    assert first.exit_code == 0, first.output
    assert "wheat values (file) as release 2025-11" in first.output
    assert "corn values (file) as release 2025-11" in first.output
    releases = read_serving(demo_dir, "SELECT commodity_code, release_id, snapshot_id FROM releases ORDER BY ALL")
    assert releases[releases["commodity_code"] == "0711100"][["release_id", "snapshot_id"]].values.tolist() == \
        coffee.values.tolist()
    assert releases[releases["commodity_code"].isin([WHEAT, CORN])]["release_id"].tolist() == ["2025-11"] * 2
    before = _state(demo_dir)
    again = runner.invoke(args=["ingest", str(source)])
    assert again.exit_code == 0, again.output
    assert "No new release: the content is identical to release 2025-11 (wheat)" in again.output
    assert "No new release: the content is identical to release 2025-11 (corn)" in again.output
    assert _state(demo_dir) == before
    listed = runner.invoke(args=["releases"])
    assert listed.exit_code == 0, listed.output
    for heading in ("coffee (0711100)", "wheat (0410000)", "corn (0440000)"):
        assert heading in listed.output
    assert "This host serves wheat release 2025-11; the catalog's latest is 2025-11." in listed.output
    only = runner.invoke(args=["releases", "--commodity", "corn"])
    assert "corn (0440000)" in only.output and "wheat" not in only.output


def test_commodity_loads_a_subset_and_a_revision_makes_one_release(runner, demo_dir, tmp_path):
    revised = [line.replace(',2025,11,', ',2025,12,') if line.startswith(f"{CORN},") else line for line in _rows()]
    revised = [line.replace('"Production",08,"(1000 MT)",378268.0000', '"Production",08,"(1000 MT)",380000.0000')
               for line in revised]
    source = _zip(tmp_path / "grains.zip", _rows())
    assert runner.invoke(args=["ingest", str(source), "--commodity", "wheat"]).exit_code == 0
    served = read_serving(demo_dir, "SELECT DISTINCT commodity_code FROM obt_commodity_metrics ORDER BY 1")
    assert served["commodity_code"].tolist() == ["0410000", "0711100"]
    result = runner.invoke(args=["ingest", str(_zip(tmp_path / "revised.zip", revised)), "--commodity", "wheat,corn"])
    assert result.exit_code == 0, result.output
    assert "corn values (file) as release 2025-12" in result.output and "(wheat); nothing was written" in result.output
    refused = runner.invoke(args=["ingest", str(source), "--commodity", "soybeans"])
    assert refused.exit_code != 0 and "unknown commodity 'soybeans'" in refused.output


def _alldata_lines():
    """Return PSD's all-data layout: coffee (USDA's codes), some wheat, and soybean meal, which nobody declares."""
    wheat = _rows(codes=(WHEAT,), countries=("US", "AR"))
    meal = [line.replace(f"{WHEAT},\"Wheat\"", '0813100,"Meal, Soybean"') for line in wheat[1:]]
    coffee = [f'0711100,"Coffee, Green",BR,"Brazil",2020,2025,06,{attr},"{name}",02,"(1000 60 KG BAGS)",{value}'
              for attr, name, value in (("020", "Beginning Stocks", "0.0000"), ("028", "Production", "69900.0000"),
                                        ("086", "Total Supply", "69900.0000"), ("088", "Exports", "45000.0000"),
                                        ("125", "Domestic Consumption", "24900.0000"), ("176", "Ending Stocks", "0.0000"),
                                        ("178", "Total Distribution", "69900.0000"), ("057", "Imports", "0.0000"))]
    return [wheat[0], *coffee, *wheat[1:], *meal]


def test_the_all_data_file_loads_every_declared_commodity_and_lists_the_others(runner, demo_dir, tmp_path):
    source = _zip(tmp_path / "psd_alldata_csv.zip", _alldata_lines(), member="psd_alldata.csv")
    result = runner.invoke(args=["ingest", str(source), "--force"])
    assert result.exit_code == 0, result.output
    assert "Skipped 0813100 Meal, Soybean" in result.output and "no declaration in commodities/" in result.output
    assert "wheat values (file) as release 2025-11" in result.output
    assert "coffee values (file) as release 2025-06" in result.output
    served = read_serving(demo_dir, "SELECT commodity_code, country_code, market_year, production FROM "
                                    "obt_commodity_metrics WHERE reported ORDER BY ALL")
    assert set(served["commodity_code"]) == {"0711100", "0410000"}
    brazil = served[(served["commodity_code"] == "0711100")]
    assert brazil[["country_code", "market_year", "production"]].values.tolist() == [["BRA", 2020, 69900.0]]
    raw = grains.reported(WHEAT).loc[["US", "AR"]]
    assert sorted(served[served["commodity_code"] == WHEAT]["production"]) == sorted(raw[grains.PRODUCTION])


def test_a_file_with_no_declared_commodity_is_refused(runner, demo_dir, tmp_path):
    meal = [line for line in _alldata_lines() if line.startswith(("Commodity_Code", "0813100"))]
    before = _state(demo_dir)
    result = runner.invoke(args=["ingest", str(_zip(tmp_path / "meal.zip", meal))])
    assert result.exit_code != 0
    assert "no data rows for the declared commodities; the file holds 0813100 Meal, Soybean" in result.output
    assert "Nothing was written" in result.output and _state(demo_dir) == before


def _edit(lines, match, old, new, every=False):
    """Return lines with old replaced by new in the lines containing match (the first one, or every one)."""
    done, out = False, []
    for line in lines:
        if match in line and (every or not done):
            line, done = line.replace(old, new), True
        out.append(line)
    return out


def _break_supply(lines):
    """Return lines whose wheat total supply is 500 above beginning stocks + production + imports everywhere."""
    out = []
    for line in lines:
        fields = next(csv.reader(io.StringIO(line)))
        if fields[0] == WHEAT and fields[7] == "086":
            fields[11] = f"{float(fields[11]) + 500:.4f}"
            line = ",".join(f'"{f}"' if "," in f or not f.replace(".", "").isdigit() else f for f in fields)
        out.append(line)
    return out


MALFORMED = {
    "a word for a number": (lambda lines: _edit(lines, '"United States",2024,2025,11,028', "53851.0000", "n/a"),
                            "Value 'n/a' is not a number"),
    "area in tonnes": (lambda lines: _edit(lines, '"Area Harvested"', '04,"(1000 HA)"', '08,"(1000 MT)"', every=True),
                       "attribute 4 (Area Harvested) of 0410000 is in (1000 MT), expected (1000 HA)"),
    "supply not the sum of its parts": (_break_supply, "total_supply = beginning_stocks + production + imports "
                                                       "(supply) fails in"),
    "an unknown revision month": (lambda lines: _edit(lines, ',2025,11,', ',2025,11,', ',2025,13,'),
                                  "Calendar_Year/Month '2025'/'13' is not a year and month"),
    "a short row": (lambda lines: lines[:5] + [lines[5].rsplit(",", 1)[0]] + lines[6:], "expected 12 fields, found 11"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_grains_file_is_refused_and_the_serving_file_is_byte_identical(case, runner, demo_dir, tmp_path):
    edit, message = MALFORMED[case]
    lines = _rows(codes=(WHEAT,))
    source = _zip(tmp_path / "bad.zip", edit(lines))
    before = _state(demo_dir)
    result = runner.invoke(args=["ingest", str(source)])
    assert result.exit_code != 0
    assert message in result.output and "Nothing was written" in result.output
    assert _state(demo_dir) == before


def test_an_html_page_is_not_a_grains_file(runner, demo_dir, tmp_path):
    page = tmp_path / "psd_grains_pulses_csv.zip"
    page.write_text("<html><body>Service unavailable</body></html>")
    before = _state(demo_dir)
    result = runner.invoke(args=["ingest", str(page)])
    assert result.exit_code != 0 and "not a readable zip file" in result.output
    assert _state(demo_dir) == before
