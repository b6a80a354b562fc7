"""USDA's grains file as it ships, loaded beside coffee: every served number against pandas over the raw file."""
import duckdb
import numpy as np
import pandas as pd
import pytest

from data import commodities
from data.queries import metrics as queries
from data.queries import regions as region_queries
from data.reference import reporters
from tests.data import grains
from tests.data.grains import AREA, CONSUMPTION, CORN, ENDING, EXPORTS, IMPORTS, PRODUCTION, RICE, WHEAT, YIELD

# USDA's two-letter codes of the reporters checked, typed here from PSD's country list (not from data/).
ISO3 = {"US": "USA", "CH": "CHN", "IN": "IND", "E4": "EU", "E2": "EU15", "UR": "SUN", "RS": "RUS", "UP": "UKR",
        "KZ": "KAZ", "AR": "ARG", "BR": "BRA", "TH": "THA", "VM": "VNM", "AS": "AUS", "CA": "CAN"}
METRICS = {"production": PRODUCTION, "imports": IMPORTS, "exports": EXPORTS, "domestic_consumption": CONSUMPTION,
           "ending_stocks": ENDING, "area_harvested": AREA, "yield": YIELD}
GRAIN_CODES = (WHEAT, CORN, RICE, grains.BARLEY, "0451000", "0452000", "0459100", "0459200", "0459900")


@pytest.fixture(scope="module")
def con(grains_data_dir):
    """Return a read-only connection to the serving file of coffee and the nine grains."""
    connection = duckdb.connect(str(grains_data_dir / "serving.duckdb"), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("code", GRAIN_CODES)
def test_world_totals_are_the_sums_over_every_reporter(con, code):
    raw = grains.reported(code)
    served = con.execute("SELECT * FROM obt_world_metrics WHERE commodity_code = ? ORDER BY market_year",
                         [code]).df().set_index("market_year")
    assert list(served.index) == sorted(grains.wide(code).index.get_level_values(1).unique())
    for metric in ("production", "imports", "exports", "domestic_consumption", "ending_stocks", "area_harvested"):
        expected = raw[METRICS[metric]].groupby(level=1).sum(min_count=1).reindex(served.index)
        np.testing.assert_allclose(served[metric], expected, rtol=1e-12, err_msg=metric)
    counts = raw.groupby(level=1).size().reindex(served.index)
    assert served["reporting_countries"].tolist() == counts.tolist()
    use = served["domestic_consumption"]
    np.testing.assert_allclose(served["stocks_to_use_pct"], 100 * served["ending_stocks"] / use.where(use != 0))


@pytest.mark.parametrize("code, numerator", [(WHEAT, PRODUCTION), (CORN, PRODUCTION), (RICE, 54)])
def test_world_yield_is_the_summed_crop_over_the_summed_area(con, code, numerator):
    raw = grains.reported(code)
    both = raw.dropna(subset=[numerator, AREA])
    expected = both[numerator].groupby(level=1).sum() / both[AREA].groupby(level=1).sum()
    served = con.execute("SELECT market_year, yield FROM obt_world_metrics WHERE commodity_code = ? "
                         "ORDER BY market_year", [code]).df().set_index("market_year")["yield"]
    np.testing.assert_allclose(served, expected.reindex(served.index), rtol=1e-12)


@pytest.mark.parametrize("code, usda", [(WHEAT, "US"), (WHEAT, "CH"), (WHEAT, "E4"), (WHEAT, "RS"), (CORN, "US"),
                                        (CORN, "BR"), (CORN, "UP"), (RICE, "IN"), (RICE, "TH"), (RICE, "VM"),
                                        (grains.BARLEY, "AS"), (grains.BARLEY, "CA")])
def test_countries_serve_usdas_numbers(con, code, usda):
    raw = grains.reported(code).xs(usda, level=0)
    served = con.execute("SELECT * FROM obt_commodity_metrics WHERE commodity_code = ? AND country_code = ? "
                         "AND reported ORDER BY market_year", [code, ISO3[usda]]).df().set_index("market_year")
    assert list(served.index) == list(raw.index)
    for metric, attribute in METRICS.items():
        np.testing.assert_allclose(served[metric], raw[attribute], rtol=1e-12, err_msg=metric)
    assert (served["unit"] == "(1000 MT)").all()


def test_the_eu_and_the_ussr_are_reporters_of_their_own_with_stable_codes(con):
    wheat = con.execute("SELECT country_code, country, min(market_year) AS first, max(market_year) AS last "
                        "FROM obt_commodity_metrics WHERE commodity_code = ? AND reported GROUP BY ALL",
                        [WHEAT]).df().set_index("country_code")
    raw = grains.reported(WHEAT)
    for usda in ("E4", "E2", "UR", "RS", "UP", "KZ"):
        years = raw.xs(usda, level=0).index
        assert (wheat.loc[ISO3[usda], "first"], wheat.loc[ISO3[usda], "last"]) == (years.min(), years.max()), usda
    assert wheat.loc["SUN", "last"] < wheat.loc["RUS", "first"] and wheat.loc["EU15", "last"] < wheat.loc["EU", "first"]
    assert (wheat.loc["EU", "country"], wheat.loc["EU15", "country"], wheat.loc["SUN", "country"]) == \
        ("European Union", "EU-15", "USSR")
    assert all(reporters.is_aggregate(code) for code in ("EU", "EU15", "SUN", "CSK", "YUG", "SCG"))
    assert not any(reporters.is_aggregate(code) for code in ("RUS", "USA", "FRA"))


def test_no_reporter_is_counted_twice_in_the_raw_file_or_the_served_one(con):
    # The raw file: no commodity-year where an aggregate and a member it covers in that year both report.
    raw = grains.frame()
    raw = raw[raw["Value"] != 0].drop_duplicates(["Commodity_Code", "Country_Code", "Market_Year"])
    usda_of = {iso: usda for usda, iso in ISO3.items()} | {"CSK": "CZ", "YUG": "YO", "SCG": "SR", "CZE": "EZ",
                                                           "SVK": "LO", "HRV": "HR", "SVN": "SI", "BIH": "BK",
                                                           "POL": "PL", "GBR": "UK", "MKD": "MK", "SRB": "RB"}
    both = []
    for code, reporter in reporters.REPORTERS.items():
        for member, first, last in reporter.covers:
            if code not in usda_of or member not in usda_of:
                continue
            years = lambda usda: raw[raw["Country_Code"] == usda][["Commodity_Code", "Market_Year"]]  # noqa: E731
            joined = years(usda_of[code]).merge(years(usda_of[member]))
            both += joined[joined["Market_Year"].between(first, last)].values.tolist()
    assert both == []
    # Served: every reporting country-year counts in the world total.
    assert con.execute("SELECT count(*) FROM obt_commodity_metrics WHERE reported AND NOT in_world").fetchall() == [(0,)]


def test_million_bushels_follow_usdas_bushel_weights(con):
    catalog = commodities.shipped()
    # USDA: a bushel of wheat is 60 lb, of shelled corn 56 lb; a pound is 0.45359237 kg.
    for slug, code, pounds in (("wheat", WHEAT, 60), ("corn", CORN, 56)):
        factor = catalog.get(slug).unit("mbu").factor
        kt = grains.reported(code).loc[("US", 2024), PRODUCTION]
        served = con.execute("SELECT production FROM obt_commodity_metrics WHERE commodity_code = ? AND "
                             "country_code = 'USA' AND market_year = 2024", [code]).fetchall()[0][0]
        assert served * factor == pytest.approx(kt * 1e6 / (pounds * 0.45359237) / 1e6, rel=1e-6)
    assert catalog.get("coffee").unit("tonnes").factor * 1000 == 60  # a bag is 60 kg


def test_releases_are_per_commodity(con):
    releases = con.execute("SELECT commodity_code, release_id, previous_release_id FROM releases").df()
    grains_rows = releases[releases["commodity_code"].isin(GRAIN_CODES)]
    assert sorted(grains_rows["commodity_code"]) == sorted(GRAIN_CODES)
    assert set(grains_rows["release_id"]) == {"2025-11"} and grains_rows["previous_release_id"].isna().all()
    assert (releases["commodity_code"] == "0711100").sum() == 1
    meta = con.execute("SELECT commodity_code, rows FROM load_metadata").df().set_index("commodity_code")["rows"]
    raw = grains.frame().groupby("Commodity_Code").size()
    assert meta.drop("0711100").sort_index().tolist() == raw.sort_index().tolist()


def test_queries_take_the_commodity(con):
    frame = queries.world_series.uncached(con, ("production", "yield"), 2020, 2024, "wheat")
    expected = grains.reported(WHEAT)[PRODUCTION].groupby(level=1).sum()
    assert frame["production"].tolist() == expected.loc[2020:2024].tolist()
    assert frame["unit"].unique().tolist() == ["(1000 MT)"]
    assert queries.world_series.uncached(con, ("production",), 2020, 2020, "0440000")["production"].tolist() == \
        [grains.reported(CORN)[PRODUCTION].groupby(level=1).sum()[2020]]
    with pytest.raises(ValueError, match="arabica_production"):
        queries.world_series.uncached(con, ("arabica_production",), 2020, 2024, "wheat")
    with pytest.raises(ValueError, match="known regions of wheat"):
        region_queries.region_series.uncached(con, ("production",), ("ICO Africa",), 2020, 2024, "wheat")
    europe = region_queries.region_series.uncached(con, ("production",), ("Europe",), 2024, 2024, "wheat")
    assert 0 < europe["production"][0] < frame["production"].iloc[-1]


@pytest.mark.parametrize("table", ["obt_commodity_metrics", "obt_world_metrics", "obt_coverage", "obt_country_ranks"])
def test_coffee_is_served_beside_the_grains_as_alone(con, real_data_dir, table):
    coffee = f"SELECT * FROM {table} WHERE commodity_code = '0711100' ORDER BY ALL"
    alone = duckdb.connect(str(real_data_dir / "serving.duckdb"), read_only=True)
    try:
        before = alone.execute(coffee).df()
    finally:
        alone.close()
    after = con.execute(coffee).df()
    pd.testing.assert_frame_equal(after, before)
    grain_columns = [c for c in ("area_harvested", "yield", "ty_exports", "milling_rate") if c in after]
    assert after[grain_columns].isna().all().all()
