"""Regional totals against sums of the raw USDA CSV computed with pandas (not-reported country-years skipped)."""
import duckdb
import numpy as np
import pandas as pd
import pytest

from data.queries import regions as region_queries

from data.reference import regions
from data.schema import FALLBACK_COUNTRY_CODES
from tests.conftest import RAW_CSV
from tests.data.test_queries import build_serving

PRODUCTION, IMPORTS, EXPORTS, CONSUMPTION, ENDING = 28, 57, 88, 125, 176
COLUMNS = {"production": PRODUCTION, "imports": IMPORTS, "exports": EXPORTS, "domestic_consumption": CONSUMPTION,
           "ending_stocks": ENDING}


@pytest.fixture(scope="module")
def con():
    """Return an in-memory DuckDB holding the serving tables of the real USDA file."""
    connection = build_serving(duckdb.connect(":memory:"), RAW_CSV.read_text(), RAW_CSV.name)
    yield connection
    connection.close()


def expected_totals(raw, region):
    """Return pandas sums of a region's members per market year: NaN where no member reported."""
    members = raw[raw.index.get_level_values(0).isin(regions.members(region))]
    sums = members.groupby(level=1).sum(min_count=1)
    reporting = members.notna().any(axis=1).groupby(level=1).sum()
    frame = pd.DataFrame({name: sums[attr] for name, attr in COLUMNS.items()})
    frame["reporting_countries"] = reporting
    use = frame["domestic_consumption"] + frame["exports"]
    frame["stocks_to_use_pct"] = 100 * frame["ending_stocks"] / use.where(use != 0)
    return frame


@pytest.mark.parametrize("region", regions.CONTINENTS + regions.ICO_GROUPS)
def test_regional_totals_match_pandas_sums(con, raw_by_code, region):
    metrics = (*COLUMNS, "stocks_to_use_pct")
    got = region_queries.region_series.uncached(con, metrics, (region,), 1960, 2023).set_index("market_year")
    want = expected_totals(raw_by_code, region)
    assert list(got.index) == list(range(1960, 2024))
    assert set(got["country_code"]) == {f"REGION:{region}"} and set(got["country"]) == {region}
    for column in (*metrics, "reporting_countries"):
        np.testing.assert_allclose(got[column].astype(float), want[column].reindex(got.index).astype(float),
                                   rtol=1e-9, err_msg=f"{region} {column}")


def test_europe_has_no_total_before_its_countries_report(con, raw_by_code):
    got = region_queries.region_series.uncached(con, ("domestic_consumption",), ("Europe",), 2000, 2002)
    assert got["domestic_consumption"].isna().tolist() == [True, True, False]
    assert got["reporting_countries"].tolist()[:2] == [0, 0]


def test_continents_add_up_to_the_world(con):
    world = con.execute("SELECT market_year, production, imports FROM obt_world_metrics ORDER BY market_year").df()
    parts = region_queries.region_series.uncached(con, ("production", "imports"), regions.CONTINENTS, 1960, 2023)
    summed = parts.groupby("market_year")[["production", "imports"]].sum(min_count=1)
    np.testing.assert_allclose(summed["production"], world["production"], rtol=1e-9)
    np.testing.assert_allclose(summed["imports"].fillna(0), world["imports"].fillna(0), rtol=1e-9)


def test_constant_coverage_sums_only_countries_reporting_every_year(con, raw_by_code):
    got = region_queries.region_series.uncached(con, ("production",), ("Africa",), 1995, 2005, constant=True)
    block = raw_by_code[raw_by_code.index.get_level_values(1).isin(range(1995, 2006))]
    block = block[block.index.get_level_values(0).isin(regions.members("Africa"))]
    always = block.notna().any(axis=1).groupby(level=0).all()
    kept = block[block.index.get_level_values(0).isin(always[always].index)]
    want = kept[PRODUCTION].groupby(level=1).sum()
    assert set(got["reporting_countries"]) == {int(always.sum())} and int(always.sum()) < len(regions.members("Africa"))
    np.testing.assert_allclose(got["production"], want.reindex(got["market_year"]), rtol=1e-9)


def test_mixed_codes_keep_countries_world_and_regions_apart(con, raw_by_code):
    got = region_queries.series.uncached(con, ("production",), ("BRA", "REGION:asia", "WORLD"), 2023, 2023)
    assert got["country_code"].tolist() == ["BRA", "WORLD", "REGION:Asia"]
    codes = raw_by_code.index.get_level_values(0)
    asia = raw_by_code[codes.isin(regions.members("Asia"))][PRODUCTION].xs(2023, level=1).sum()
    assert got["production"].tolist()[::2] == [raw_by_code.loc[("BRA", 2023), PRODUCTION], asia]


def test_regional_import_dependency(con, raw_by_code):
    got = region_queries.import_dependency.uncached(con, ("REGION:Europe", "JPN"), 2023, 2023).set_index("country_code")
    europe = raw_by_code[raw_by_code.index.get_level_values(0).isin(regions.members("Europe"))].xs(2023, level=1)
    assert got.loc["REGION:Europe", "dependency_pct"] == pytest.approx(
        100 * europe[IMPORTS].sum() / europe[CONSUMPTION].sum())
    assert got.loc["JPN", "imports"] == raw_by_code.loc[("JPN", 2023), IMPORTS]


def test_an_unknown_code_is_summed_as_unassigned(raw_frame):
    text = RAW_CSV.read_text().replace(",ALB,Albania,", ",QQ,Albania,")  # an unknown USDA two-letter code
    connection = build_serving(duckdb.connect(":memory:"), text, RAW_CSV.name)
    got = region_queries.region_series.uncached(connection, ("domestic_consumption",), ("Unassigned", "Europe"),
                                                2023, 2023).set_index("country")
    albania = raw_frame[(raw_frame["Country_Name"] == "Albania") & (raw_frame["Market_Year"] == 2023)
                        & (raw_frame["Attribute_ID"] == CONSUMPTION)]["Value"].sum()
    assert connection.execute("SELECT count(*) FROM obt_commodity_metrics WHERE country_code = 'XQQ'").fetchone()[0]
    assert got.loc["Unassigned", "domestic_consumption"] == albania > 0
    assert got.loc["Unassigned", "reporting_countries"] == 1


def test_unknown_regions_and_metrics_are_refused(con):
    with pytest.raises(ValueError):
        region_queries.region_series.uncached(con, ("production",), ("Atlantis",), 2000, 2001)
    with pytest.raises(ValueError):
        region_queries.region_series.uncached(con, ("production; DROP TABLE x",), ("Africa",), 2000, 2001)


def release_totals(frame, region, attribute, year):
    """Return a region's sum of one attribute in a year of one release's raw frame, with pandas alone."""
    codes = frame["Country_Code"].where(frame["Country_Code"] != "", frame["Country_Name"].map(FALLBACK_COUNTRY_CODES))
    rows = frame[codes.isin(regions.members(region)) & (frame["Market_Year"] == str(year))
                 & (frame["Attribute_ID"].astype(int) == attribute)]
    return rows["Value"].astype(float).sum()


@pytest.mark.parametrize("region, attribute, column, year", [
    ("ICO South America", PRODUCTION, "production", 2020), ("Asia", EXPORTS, "exports", 2021),
])
def test_release_reads_the_totals_as_that_release_published_them(releases_dir, region, attribute, column, year):
    from tests.harness.releases import release_frames

    connection = duckdb.connect(str(releases_dir / "serving.duckdb"), read_only=True)
    frames = release_frames()
    seen = {}
    for release in ("2024-06", "2024-09"):
        got = region_queries.region_series.uncached(connection, (column,), (region,), year, year, release=release)
        seen[release] = got[column].iloc[0]
        assert seen[release] == pytest.approx(release_totals(frames[release], region, attribute, year))
    assert seen["2024-06"] != seen["2024-09"]
    connection.close()
