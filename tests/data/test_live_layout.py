"""USDA's live layout (two-letter codes, release month, every field quoted) serves the same ISO3 data."""
import pandas as pd
import pytest

from app import create_app
from data import pipeline
from data.countries import USDA_COUNTRIES
from tests.conftest import base_config
from tests.data.conftest import read_serving
from tests.data.live_layout import USDA_CODE_BY_NAME, live_zip, raw_text_frame, to_live, write_zip

SERVED = {
    "obt_commodity_metrics": "commodity_code, country_code, market_year",
    "obt_world_metrics": "commodity_code, market_year",
    "obt_country_ranks": "commodity_code, country_code, market_year",
}


def test_the_table_maps_every_country_of_the_coffee_file(raw_frame):
    for name, usda in USDA_CODE_BY_NAME.items():
        assert usda in USDA_COUNTRIES, name
        assert USDA_COUNTRIES[usda][1] == name
    names = set(raw_frame["Country_Name"])
    assert names <= set(USDA_CODE_BY_NAME)
    # Where the ISO3 copy gives a code, the table gives the same one.
    iso = raw_frame.dropna(subset=["Country_Code"]).drop_duplicates("Country_Name")
    for name, code in zip(iso["Country_Name"], iso["Country_Code"]):
        assert USDA_COUNTRIES[USDA_CODE_BY_NAME[name]][0] == code, name
    assert USDA_COUNTRIES["E4"][0] == "EU"


@pytest.fixture(scope="module")
def live_dir(tmp_path_factory):
    """Return a data dir loaded from the coffee file in the live layout."""
    tmp = tmp_path_factory.mktemp("live-layout")
    summary = pipeline.ingest({"BEANFLOWS_DATA_DIR": str(tmp / "data")}, str(live_zip(tmp / "psd_coffee_csv.zip")))
    assert summary["release_id"] == "2024-06"
    return tmp / "data"


@pytest.mark.parametrize("table", sorted(SERVED))
def test_served_tables_equal_those_from_the_iso3_file(table, live_dir, real_data_dir):
    sql = f"SELECT * FROM {table} ORDER BY {SERVED[table]}"
    pd.testing.assert_frame_equal(read_serving(live_dir, sql), read_serving(real_data_dir, sql))


def test_all_commodities_file_keeps_only_the_commodity_asked_for(tmp_path, real_data_dir):
    coffee = raw_text_frame()
    corn = coffee[coffee["Country_Name"] == "Brazil"].assign(
        Commodity_Code="0440000", Commodity_Description="Corn", Unit_Description="(1000 MT)")
    source = live_zip(tmp_path / "psd_alldata_csv.zip", frame=pd.concat([corn, coffee]), member="psd_alldata.csv")
    data_dir = tmp_path / "data"
    pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(source))
    sql = "SELECT * FROM obt_commodity_metrics ORDER BY commodity_code, country_code, market_year"
    pd.testing.assert_frame_equal(read_serving(data_dir, sql), read_serving(real_data_dir, sql))
    pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(source), commodity="0440000")
    corn_rows = read_serving(data_dir, "SELECT * FROM obt_commodity_metrics WHERE commodity_code = '0440000'")
    assert set(corn_rows["country_code"]) == {"BRA"}
    assert len(corn_rows) == corn["Market_Year"].nunique()


def test_an_unknown_code_loads_under_a_stable_code_and_is_reported(tmp_path):
    unknown = to_live(raw_text_frame(), 2024, 6)
    unknown.loc[unknown["Country_Name"] == "Kosovo", ["Country_Code", "Country_Name"]] = ["QQ", "Atlantis"]
    source = write_zip(unknown, tmp_path / "unknown.zip")
    data_dir = tmp_path / "data"
    runner = create_app(base_config(tmp_path, data_dir)).test_cli_runner()
    result = runner.invoke(args=["ingest", str(source)])
    assert result.exit_code == 0, result.output
    assert "Unknown USDA country code for 'Atlantis': loaded as XQQ" in result.output
    served = read_serving(data_dir, "SELECT DISTINCT country_code, country FROM obt_commodity_metrics")
    assert ("XQQ", "Atlantis") in set(zip(served["country_code"], served["country"]))
    meta = read_serving(data_dir, "SELECT unknown_country_codes FROM load_metadata")
    assert meta["unknown_country_codes"].tolist() == ["XQQ (Atlantis)"]


def test_an_attribute_without_a_column_is_kept_and_reported(tmp_path):
    frame = to_extra_attribute(raw_text_frame())
    source = write_zip(to_live(frame, 2024, 6), tmp_path / "extra.zip")
    data_dir = tmp_path / "data"
    runner = create_app(base_config(tmp_path, data_dir)).test_cli_runner()
    result = runner.invoke(args=["ingest", str(source)])
    assert result.exit_code == 0, result.output
    assert "Attribute 999 (Farm Gate Stocks) has no serving column" in result.output
    other = read_serving(data_dir, "SELECT * FROM obt_other_attributes")
    assert len(other) == 1 and other["value"][0] == 12.5 and other["country_code"][0] == "BRA"
    meta = read_serving(data_dir, "SELECT unmapped_attributes FROM load_metadata")
    assert meta["unmapped_attributes"].tolist() == ["999 (Farm Gate Stocks)"]


def to_extra_attribute(frame):
    """Return frame plus one Brazil row of an attribute the serving tables have no column for."""
    row = frame[(frame["Country_Name"] == "Brazil") & (frame["Attribute_ID"] == "028")].iloc[[0]].copy()
    row[["Attribute_ID", "Attribute_Description", "Value"]] = ["999", "Farm Gate Stocks", "12.5000"]
    return pd.concat([frame, row])
