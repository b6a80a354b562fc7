"""USDA's live layout (two-letter codes, release month, every field quoted) serves the same ISO3 data."""
import pandas as pd
import pytest

from app import create_app
from data import pipeline
from data.reference import regions
from data.reference.countries import FIPS_ALIASES, USDA_COUNTRIES
from tests.api.test_regions import region_sum
from tests.conftest import _served, base_config, create_user, login_session
from tests.data.conftest import read_serving
from tests.data.live_layout import USDA_CODE_BY_NAME, live_zip, raw_text_frame, to_live, write_zip

# The producers whose PSD codes differ from FIPS 10-4 (RH, PN, DM, GU, RB), by ISO3 and name.
PSD_SPELLED = {"ZWE": "Zimbabwe", "PAN": "Panama", "BEN": "Benin", "GIN": "Guinea", "SRB": "Serbia"}
ATTRIBUTE_IDS = {"production": 28, "exports": 88, "ending_stocks": 176}
REGION_METRICS = {"production": 28, "imports": 57}

SERVED = {
    "obt_commodity_metrics": "commodity_code, country_code, market_year",
    "obt_world_metrics": "commodity_code, market_year",
    "obt_country_ranks": "commodity_code, country_code, market_year",
}


def test_the_table_maps_every_country_of_the_coffee_file(raw_frame):
    # USDA_CODE_BY_NAME holds the 94 coffee countries with their codes as FAS's PSD country list spells them.
    assert len(USDA_CODE_BY_NAME) == len(set(USDA_CODE_BY_NAME.values())) == 94
    for name, usda in USDA_CODE_BY_NAME.items():
        assert usda in USDA_COUNTRIES, name
        assert USDA_COUNTRIES[usda][1] == name
    names = set(raw_frame["Country_Name"])
    assert names == set(USDA_CODE_BY_NAME)
    # Where the ISO3 copy gives a code, the table gives the same one.
    iso = raw_frame.dropna(subset=["Country_Code"]).drop_duplicates("Country_Name")
    for name, code in zip(iso["Country_Name"], iso["Country_Code"]):
        assert USDA_COUNTRIES[USDA_CODE_BY_NAME[name]][0] == code, name
    assert USDA_COUNTRIES["E4"][0] == "EU"


def test_the_fips_forms_of_psd_codes_still_map():
    for fips, psd in FIPS_ALIASES.items():
        assert USDA_COUNTRIES[fips] == USDA_COUNTRIES[psd]
    assert {USDA_COUNTRIES[code][0] for code in ("RH", "PN", "DM", "GU", "RB")} == set(PSD_SPELLED)


@pytest.fixture(scope="module")
def live_load(tmp_path_factory):
    """Return (data dir, ingest summary) of the coffee file in the live layout."""
    tmp = tmp_path_factory.mktemp("live-layout")
    summary = pipeline.ingest({"BEANFLOWS_DATA_DIR": str(tmp / "data")}, str(live_zip(tmp / "psd_coffee_csv.zip")))
    assert summary["release_id"] == "2024-06"
    return tmp / "data", summary


@pytest.fixture(scope="module")
def live_dir(live_load):
    """Return a data dir loaded from the coffee file in the live layout."""
    return live_load[0]


def test_the_live_layout_loads_with_no_unknown_code(live_load):
    data_dir, summary = live_load
    assert summary["unknown_country_codes"] == []
    served = read_serving(data_dir, "SELECT DISTINCT country_code FROM obt_commodity_metrics")
    assert not [code for code in served["country_code"] if code.startswith("X") and code not in ("XKX", "XYS")]
    assert set(PSD_SPELLED) <= set(served["country_code"])


@pytest.fixture(scope="module")
def live_api(tmp_path_factory, live_dir):
    """Return a function that GETs the metrics API as a subscriber of a server on the live-layout data."""
    served = _served(tmp_path_factory.mktemp("live-layout-server"), live_dir)
    server = next(served)
    session = login_session(server, create_user(server, "live-layout@example.com", "--comp"))
    yield lambda params: session.get(f"{server.url}/api/v1/metrics", params=params, timeout=30)
    next(served, None)


def test_psd_spelled_countries_answer_usdas_numbers(live_api, raw_by_code):
    response = live_api({"metric": list(ATTRIBUTE_IDS), "country": list(PSD_SPELLED)})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert {row["country_code"] for row in rows} == set(PSD_SPELLED)
    checked = 0
    for row in rows:
        assert row["country"] == PSD_SPELLED[row["country_code"]]
        key = (row["country_code"], row["market_year"])
        for metric, attribute in ATTRIBUTE_IDS.items():
            expected = raw_by_code[attribute].get(key)
            if expected is None or pd.isna(expected):
                assert row[metric] is None, (key, metric)
            else:
                assert row[metric] == pytest.approx(expected), (key, metric)
                checked += 1
    assert checked > 200  # every one of the five reports production for years


@pytest.mark.parametrize("region", [regions.AFRICA, regions.ICO_AFRICA, regions.EUROPE, regions.CENTRAL_AMERICA,
                                    regions.ICO_MEXICO])
def test_regional_totals_include_them(live_api, raw_by_code, region):
    members = regions.members(region)
    assert set(PSD_SPELLED) & set(members)
    response = live_api({"metric": list(REGION_METRICS), "country": regions.code(region)})
    assert response.status_code == 200, response.text
    for row in response.json()["rows"]:
        for metric, attribute in REGION_METRICS.items():
            expected = region_sum(raw_by_code, region, row["market_year"], attribute)
            if pd.isna(expected):
                assert row[metric] is None
            else:
                assert row[metric] == pytest.approx(expected), (metric, row)


@pytest.mark.parametrize("table", sorted(SERVED))
def test_served_tables_equal_those_from_the_iso3_file(table, live_dir, real_data_dir):
    sql = f"SELECT * FROM {table} ORDER BY {SERVED[table]}"
    pd.testing.assert_frame_equal(read_serving(live_dir, sql), read_serving(real_data_dir, sql))


def test_all_commodities_file_serves_coffee_as_its_own_file_does(tmp_path, real_data_dir):
    coffee = raw_text_frame()
    meal = coffee[coffee["Country_Name"] == "Brazil"].assign(
        Commodity_Code="0813100", Commodity_Description="Meal, Soybean", Unit_Description="(1000 MT)")
    source = live_zip(tmp_path / "psd_alldata_csv.zip", frame=pd.concat([meal, coffee]), member="psd_alldata.csv")
    data_dir = tmp_path / "data"
    summary = pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(source))
    assert summary["skipped"] == [["0813100", "Meal, Soybean", len(meal), "not declared"]]
    sql = "SELECT * FROM obt_commodity_metrics ORDER BY commodity_code, country_code, market_year"
    pd.testing.assert_frame_equal(read_serving(data_dir, sql), read_serving(real_data_dir, sql))


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
    # /admin names it with its country name the day it appears.
    note = admin_data_note(tmp_path, data_dir)
    assert "Release 2024-06" in note and "XQQ (Atlantis)" in note and "data/countries.py" in note


def admin_data_note(tmp_path, data_dir):
    """Return the text of the data note on /admin, as an admin's browser gets the page's layout."""
    from flask_migrate import upgrade

    from tests.auth.conftest import cli_user, client_login, dash_for

    app = create_app({**base_config(tmp_path, data_dir), "ARGON2_PROFILE": "CHEAPEST"})
    with app.app_context():
        upgrade()
    client = app.test_client()
    client_login(client, cli_user(app, "root@example.com", "--admin"))
    props = dash_for(client).page_props("/admin")
    return str(props["admin-data-note"].get("children"))


def test_admin_shows_no_data_note_when_every_code_is_known(tmp_path, live_dir):
    assert admin_data_note(tmp_path, live_dir) == "None"


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
