"""The real USDA file lands in the serving tables value for value."""
import pandas as pd
import pytest

from tests.conftest import blank_unreported
from tests.data.conftest import read_serving

# DESIGN.md's serving column for each USDA attribute description.
COLUMNS = {
    "Beginning Stocks": "beginning_stocks",
    "Production": "production",
    "Arabica Production": "arabica_production",
    "Robusta Production": "robusta_production",
    "Other Production": "other_production",
    "Imports": "imports",
    "Bean Imports": "bean_imports",
    "Roast & Ground Imports": "roast_ground_imports",
    "Soluble Imports": "soluble_imports",
    "Total Supply": "total_supply",
    "Exports": "exports",
    "Bean Exports": "bean_exports",
    "Roast & Ground Exports": "roast_ground_exports",
    "Soluble Exports": "soluble_exports",
    "Domestic Consumption": "domestic_consumption",
    "Rst,Ground Dom. Consum": "roast_ground_dom_consumption",
    "Soluble Dom. Cons.": "soluble_dom_consumption",
    "Ending Stocks": "ending_stocks",
    "Total Distribution": "total_distribution",
}


@pytest.fixture(scope="module")
def expected_wide(raw_frame):
    """Return the raw file pivoted by country name and year with pandas, unreported country-years blank."""
    wide = raw_frame.pivot_table(
        index=["Country_Name", "Market_Year"], columns="Attribute_Description", values="Value", aggfunc="first"
    ).rename(columns=COLUMNS)
    wide.index.names = ["country", "market_year"]
    return blank_unreported(wide)


@pytest.fixture(scope="module")
def served(real_data_dir):
    """Return obt_commodity_metrics indexed like expected_wide."""
    frame = read_serving(real_data_dir, "SELECT * FROM obt_commodity_metrics")
    frame["market_year"] = frame["market_year"].astype("int64")
    return frame.set_index(["country", "market_year"]).sort_index()


def test_every_value_matches_the_raw_file(expected_wide, served):
    assert len(served) == len(expected_wide)
    joined = expected_wide.merge(served, left_index=True, right_index=True, how="outer", suffixes=("", "_served"))
    for column in COLUMNS.values():
        differs = (joined[column] != joined[f"{column}_served"]) & joined[[column, f"{column}_served"]].notna().any(axis=1)
        mismatch = joined[differs]
        assert mismatch.empty, f"{column} differs: {mismatch[[column, column + '_served']].head()}"


def test_keys_and_types(served, real_data_dir):
    types = read_serving(
        real_data_dir,
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'obt_commodity_metrics'",
    ).set_index("column_name")["data_type"]
    assert types["market_year"] == "INTEGER"
    for column in list(COLUMNS.values()) + ["net_exports", "stocks_to_use_pct"]:
        assert types[column] == "DOUBLE", column
    assert set(served["commodity_code"]) == {"0711100"}
    assert set(served["unit"]) == {"(1000 60 KG BAGS)"}
    brazil = served.loc[("Brazil", 2020)]
    assert brazil["country_code"] == "BRA"


def test_derived_country_metrics(expected_wide, served):
    use = expected_wide["domestic_consumption"] + expected_wide["exports"]
    expected_stu = (100 * expected_wide["ending_stocks"] / use).where(use != 0)
    got = served["stocks_to_use_pct"].reindex(expected_stu.index)
    pd.testing.assert_series_equal(got, expected_stu, check_names=False)
    net = (expected_wide["exports"] - expected_wide["imports"]).reindex(served.index)
    pd.testing.assert_series_equal(served["net_exports"], net, check_names=False)


def test_world_rows_are_sums_over_countries(raw_frame, real_data_dir):
    world = read_serving(real_data_dir, "SELECT * FROM obt_world_metrics").set_index("market_year")
    sums = raw_frame.pivot_table(
        index="Market_Year", columns="Attribute_Description", values="Value", aggfunc="sum"
    ).rename(columns=COLUMNS)
    assert sorted(world.index) == sorted(sums.index)
    for column in COLUMNS.values():
        pd.testing.assert_series_equal(
            world[column].sort_index(), sums[column].sort_index(), check_names=False, rtol=1e-12
        )
    expected_stu = (100 * sums["ending_stocks"] / sums["domestic_consumption"]).where(sums["domestic_consumption"] != 0)
    pd.testing.assert_series_equal(world["stocks_to_use_pct"].sort_index(), expected_stu.sort_index(), check_names=False)
    assert set(world["country_code"]) == {"WORLD"}


def test_load_metadata_names_the_file(real_data_dir, raw_frame):
    meta = read_serving(real_data_dir, "SELECT * FROM load_metadata")
    assert len(meta) == 1
    row = meta.iloc[0]
    assert row["source"].endswith("psd_coffee_csv.zip")
    assert row["source_kind"] == "file"
    assert row["rows"] == len(raw_frame)
    assert row["snapshot_id"] != 0
