"""The World Bank Pink Sheet as shipped: both layouts read to the value, each edition a release, bad files refused.

Expected values come from tests/data/prices_raw.py (pandas over the xlsx), never from the parser under test.
"""
import hashlib

import openpyxl
import pytest

from app import create_app
from data import commodities
from data.lake import prices as prices_lake
from data.sources import prices
from data.sources.fetch import SourceError
from tests.conftest import base_config
from tests.data.conftest import read_serving
from tests.data.prices_raw import CENTS_PER_LB_FROM_USD_PER_KG, EDITIONS, SERIES, monthly
from tests.harness.live import PINK_SHEETS

pytestmark = pytest.mark.data  # reads ../shared/data's Pink Sheet editions (tests/data/prices_raw.py)


@pytest.fixture(scope="module")
def parsed():
    """Return {release id: Edition} of both shipped editions."""
    catalog = commodities.shipped()
    return {release_id: prices.parse(str(path), path.read_bytes(), catalog) for release_id, path in EDITIONS.items()}


@pytest.mark.parametrize("release_id", sorted(EDITIONS))
def test_every_declared_value_equals_the_file(parsed, release_id):
    edition = parsed[release_id]
    assert edition.release_id == release_id
    frame = edition.arrow.to_pandas()
    for slug, name in SERIES.items():
        expected = monthly(release_id, slug)
        got = frame[frame["series"] == name].set_index("month")["value"]
        assert list(got.index) == list(expected.index), slug
        assert got.tolist() == pytest.approx(expected.tolist(), rel=1e-12), slug
    units = dict(zip(frame["series"], frame["unit"]))
    assert units["Coffee, Arabica"] == "($/kg)" and units["Maize"] == "($/mt)"


def test_the_two_layouts_and_what_the_newer_edition_adds(parsed):
    old, new = parsed["2024-12"].arrow.to_pandas(), parsed["2025-05"].arrow.to_pandas()
    assert (parsed["2024-12"].updated, parsed["2025-05"].updated) == ("2024-12-03", "2025-05-02")
    for name in SERIES.values():
        a = old[old["series"] == name].set_index("month")["value"]
        b = new[new["series"] == name].set_index("month")["value"]
        # Nothing the December edition held was revised in May for these series; May adds Dec 2024 to Apr 2025.
        assert b.loc[a.index].tolist() == a.tolist()
        assert sorted(set(b.index) - set(a.index)) == ["2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]
    srw = monthly("2025-05", "srw")
    assert new[new["series"] == "Wheat, US SRW"]["month"].min() == srw.index[0] == "1979-01"  # `…` before 1979


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    """Return {case: (path of a damaged copy of the May 2025 edition, the reason expected)}."""
    folder = tmp_path_factory.mktemp("bad-pink-sheets")
    book = openpyxl.load_workbook(PINK_SHEETS[1])
    sheet = book["Monthly Prices"]
    # Row 6 holds the units, 7 the first month (1960M01); column M is Coffee, Arabica (see the file).
    assert (sheet["M5"].value, sheet["M6"].value, sheet["A7"].value) == ("Coffee, Arabica", "($/kg)", "1960M01")
    cases = {"word": ("M9", "n/a", "'Coffee, Arabica': 'n/a' is not a number"),
             "unit": ("M6", "($/lb)", "unit '($/lb)' in the file, declared '($/kg)'"),
             "month": ("A9", "1960M13", "unknown month '1960M13'"),
             "order": ("A9", "1960M01", "month 1960M01 is out of order")}
    found = {}
    for case, (cell, value, reason) in cases.items():
        before = sheet[cell].value
        sheet[cell] = value
        book.save(folder / f"{case}.xlsx")
        sheet[cell] = before
        found[case] = (folder / f"{case}.xlsx", reason)
    sheet.title = "Prices"
    book.save(folder / "sheet.xlsx")
    found["sheet"] = (folder / "sheet.xlsx", "no sheet 'Monthly Prices'")
    (folder / "page.xlsx").write_bytes(b"<!DOCTYPE html><html><body>Service unavailable</body></html>")
    found["html"] = (folder / "page.xlsx", "an HTML page")
    (folder / "broken.xlsx").write_bytes(PINK_SHEETS[1].read_bytes()[:4000])
    found["broken"] = (folder / "broken.xlsx", "not")
    return found


@pytest.mark.parametrize("case", ["word", "unit", "month", "order", "sheet", "html", "broken"])
def test_a_bad_file_is_refused_with_its_reason(bad_files, case):
    path, reason = bad_files[case]
    with pytest.raises(SourceError) as refused:
        prices.parse(str(path), path.read_bytes(), commodities.shipped())
    assert reason in str(refused.value)


def _state(data_dir):
    """Return the serving file's hash and the prices table's snapshot ids."""
    digest = hashlib.sha256((data_dir / "serving.duckdb").read_bytes()).hexdigest()
    table = prices_lake.open_table({"BEANFLOWS_DATA_DIR": str(data_dir)})
    return digest, [s.snapshot_id for s in table.snapshots()] if table else []


def test_cli_loads_refuses_bad_files_unchanged_and_reloads_as_a_no_op(demo_dir, tmp_path, bad_files):
    runner = create_app(base_config(tmp_path, demo_dir)).test_cli_runner()
    first = runner.invoke(args=["prices", "ingest", str(PINK_SHEETS[0])])
    assert first.exit_code == 0, first.output
    assert "as prices release 2024-12" in first.output and "1960-01 to 2024-11" in first.output
    before = _state(demo_dir)
    for case, (path, reason) in bad_files.items():
        refused = runner.invoke(args=["prices", "ingest", str(path)])
        assert refused.exit_code == 1, (case, refused.output)
        assert reason in refused.output and "Nothing was written" in refused.output, case
        assert _state(demo_dir) == before, case
    again = runner.invoke(args=["prices", "ingest", str(PINK_SHEETS[0])])
    assert again.exit_code == 0 and "No new prices release" in again.output, again.output
    assert _state(demo_dir) == before
    listed = runner.invoke(args=["prices", "releases"])
    assert listed.output.startswith("2024-12") and "5895 values to 2024-11" in listed.output


def test_each_edition_is_a_release_and_the_newest_is_served(real_data_dir):
    releases = read_serving(real_data_dir, "SELECT release_id, last_month, revised_values FROM prices_releases")
    assert releases["release_id"].tolist() == ["2024-12", "2025-05"]
    assert releases["last_month"].tolist() == ["2024-11", "2025-04"]
    assert releases["revised_values"].iloc[1] == 0
    served = read_serving(real_data_dir, "SELECT month, value FROM prices_monthly WHERE series = 'Coffee, Arabica' "
                                         "ORDER BY month")
    assert served["value"].tolist() == pytest.approx(monthly("2025-05", "arabica").tolist(), rel=1e-12)
    old = read_serving(real_data_dir, "SELECT count(*) AS n FROM prices_monthly_history WHERE release_id = '2024-12' "
                                      "AND series = 'Coffee, Arabica'")
    assert old["n"].iloc[0] == len(monthly("2024-12", "arabica"))


def test_the_declared_factor_is_cents_a_pound():
    assert commodities.shipped().get("coffee").price("arabica").factor == pytest.approx(CENTS_PER_LB_FROM_USD_PER_KG,
                                                                                      rel=1e-12)


def test_each_declared_description_is_the_world_banks_own():
    import pandas as pd

    sheet = pd.read_excel(PINK_SHEETS[1], sheet_name="Description", header=None)
    texts = {" ".join(str(cell).split()) for cell in sheet.to_numpy().ravel() if isinstance(cell, str)}
    declared = [p for commodity in commodities.shipped() for p in commodity.prices]
    assert len(declared) == 8
    for series in declared:
        assert series.description in texts, series.slug


def test_a_revised_month_is_listed_with_both_editions_values(demo_dir, tmp_path):
    book = openpyxl.load_workbook(PINK_SHEETS[1])
    sheet = book["Monthly Prices"]
    row = next(cell.row for cell in sheet["A"] if cell.value == "2024M06")
    assert sheet["M5"].value == "Coffee, Arabica"
    sheet[f"M{row}"] = sheet[f"M{row}"].value + 0.25  # the World Bank revising June 2024's Arabica
    book.save(tmp_path / "revised.xlsx")
    runner = create_app(base_config(tmp_path, demo_dir)).test_cli_runner()
    for path in (PINK_SHEETS[0], tmp_path / "revised.xlsx"):
        loaded = runner.invoke(args=["prices", "ingest", str(path)])
        assert loaded.exit_code == 0, loaded.output
    old = monthly("2024-12", "arabica", CENTS_PER_LB_FROM_USD_PER_KG)["2024-06"]
    with create_app(base_config(tmp_path, demo_dir)).app_context():
        from data.queries import prices as price_queries

        found = price_queries.price_revisions("coffee", "2024-12", "2025-05")
    revised = found[found["kind"] == "revised"]
    assert revised[["series", "month"]].values.tolist() == [["arabica", "2024-06"]]
    assert revised["old_value"].iloc[0] == pytest.approx(old, rel=1e-12)
    assert revised["new_value"].iloc[0] == pytest.approx(old + 0.25 * CENTS_PER_LB_FROM_USD_PER_KG, rel=1e-12)
    assert sorted(set(found.loc[found["kind"] == "new", "month"])) == ["2024-12", "2025-01", "2025-02", "2025-03",
                                                                        "2025-04"]
    listed = runner.invoke(args=["prices", "releases"]).output
    assert "revised    1" in listed, listed
