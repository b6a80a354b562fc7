"""Query functions against numbers computed from the raw USDA CSV with pandas."""
import math

import pandas as pd
import pytest

from data import queries
from data.schema import FALLBACK_COUNTRY_CODES, WORLD
from tests.conftest import base_config

# USDA attribute ids (see ../shared/data/README.md).
PRODUCTION, IMPORTS, EXPORTS, CONSUMPTION, ENDING = 28, 57, 88, 125, 176
COUNTRIES = ("BRA", "VNM", "COL", "EU", "CIV", "JPN", "USA", "ETH")


@pytest.fixture(scope="module")
def app(tmp_path_factory, real_data_dir):
    """Return an app on the real serving file (no users database needed)."""
    from app import create_app

    return create_app(base_config(tmp_path_factory.mktemp("queries"), real_data_dir))


@pytest.fixture
def ctx(app):
    """Run the test inside an app context."""
    with app.app_context():
        yield


@pytest.fixture(scope="module")
def raw(raw_by_code):
    """Return the raw values by (ISO3 code, market year) x attribute id."""
    return raw_by_code


def value_at(frame, code, year, column):
    """Return one cell of a query frame by country code and market year."""
    rows = frame[(frame["country_code"] == code) & (frame["market_year"] == year)]
    assert len(rows) == 1, (code, year)
    return rows.iloc[0][column]


def test_production_by_country(ctx, raw):
    frame = queries.country_series(("production",), COUNTRIES, 1975, 2023)
    assert set(frame["country_code"]) == set(COUNTRIES)
    assert len(frame) == len(COUNTRIES) * 49
    for code in COUNTRIES:
        for year in (1975, 1999, 2023):
            assert value_at(frame, code, year, "production") == pytest.approx(raw.loc[(code, year), PRODUCTION])


def test_names_keyed_by_raw_country_name(ctx, raw_frame):
    frame = queries.countries()
    names = dict(zip(frame["country_code"], frame["country"]))
    for name, code in FALLBACK_COUNTRY_CODES.items():
        if name in set(raw_frame["Country_Name"]):
            assert names[code] == name
    assert names["BRA"] == "Brazil"


@pytest.mark.parametrize("year", [1960, 1990, 2010, 2023])
def test_world_sums(ctx, raw, year):
    frame = queries.world_series(("production", "exports", "imports", "ending_stocks", "domestic_consumption"),
                                 year, year)
    expected = raw.xs(year, level="Market_Year").sum()
    row = frame.iloc[0]
    assert row["country_code"] == WORLD
    assert row["production"] == pytest.approx(expected[PRODUCTION])
    assert row["exports"] == pytest.approx(expected[EXPORTS])
    assert row["imports"] == pytest.approx(expected[IMPORTS])
    assert row["ending_stocks"] == pytest.approx(expected[ENDING])
    assert row["domestic_consumption"] == pytest.approx(expected[CONSUMPTION])


def test_series_mixes_countries_and_world(ctx, raw):
    frame = queries.series(("production",), ("BRA", WORLD), 2020, 2023)
    assert set(frame["country_code"]) == {"BRA", WORLD}
    world = raw.xs(2021, level="Market_Year")[PRODUCTION].sum()
    assert value_at(frame, WORLD, 2021, "production") == pytest.approx(world)


@pytest.mark.parametrize("code,year", [("BRA", 2023), ("JPN", 2010), ("EU", 2015), ("VNM", 1995)])
def test_stocks_to_use_by_country(ctx, raw, code, year):
    frame = queries.country_series(("stocks_to_use_pct",), (code,), year, year)
    row = raw.loc[(code, year)]
    expected = 100 * row[ENDING] / (row[CONSUMPTION] + row[EXPORTS])
    assert frame.iloc[0]["stocks_to_use_pct"] == pytest.approx(expected)


@pytest.mark.parametrize("year", [1980, 2005, 2023])
def test_world_stocks_to_use(ctx, raw, year):
    world = raw.xs(year, level="Market_Year").sum()
    frame = queries.world_series(("stocks_to_use_pct",), year, year)
    assert frame.iloc[0]["stocks_to_use_pct"] == pytest.approx(100 * world[ENDING] / world[CONSUMPTION])


def test_stocks_to_use_null_without_use(ctx, raw):
    use = raw[CONSUMPTION] + raw[EXPORTS]
    code, year = use[use == 0].index[0]
    year = int(year)
    frame = queries.country_series(("stocks_to_use_pct",), (code,), year, year)
    assert pd.isna(frame.iloc[0]["stocks_to_use_pct"])


def test_yoy_change(ctx, raw):
    frame = queries.yoy_change("production", ("BRA", "VNM", "COL"), 2000, 2023)
    assert len(frame) == 3 * 24
    for code in ("BRA", "VNM", "COL"):
        for year in (2000, 2012, 2023):
            now, before = raw.loc[(code, year), PRODUCTION], raw.loc[(code, year - 1), PRODUCTION]
            assert value_at(frame, code, year, "previous") == pytest.approx(before)
            assert value_at(frame, code, year, "change") == pytest.approx(now - before)
            assert value_at(frame, code, year, "change_pct") == pytest.approx(100 * (now - before) / before)


def test_yoy_change_first_year_has_no_previous(ctx):
    frame = queries.yoy_change("production", ("BRA",), 1960, 1961)
    first = frame[frame["market_year"] == 1960].iloc[0]
    assert pd.isna(first["previous"]) and pd.isna(first["change"]) and pd.isna(first["change_pct"])


@pytest.mark.parametrize("year", [1970, 2000, 2023])
def test_market_share(ctx, raw, year):
    frame = queries.market_share("production", ("BRA", "VNM", "ETH"), year, year)
    world = raw.xs(year, level="Market_Year")[PRODUCTION].sum()
    for code in ("BRA", "VNM", "ETH"):
        expected = 100 * raw.loc[(code, year), PRODUCTION] / world
        assert value_at(frame, code, year, "share_pct") == pytest.approx(expected)
        assert value_at(frame, code, year, "world_value") == pytest.approx(world)


def test_market_share_of_a_ratio_is_null(ctx):
    frame = queries.market_share("stocks_to_use_pct", ("BRA",), 2023, 2023)
    assert pd.isna(frame.iloc[0]["share_pct"])
    assert frame.iloc[0]["world_value"] > 0


@pytest.mark.parametrize("code,year", [("USA", 2023), ("JPN", 2015), ("EU", 2010), ("COL", 2020), ("IND", 2023)])
def test_import_dependency(ctx, raw, code, year):
    frame = queries.import_dependency((code,), year, year)
    row = raw.loc[(code, year)]
    assert frame.iloc[0]["dependency_pct"] == pytest.approx(100 * row[IMPORTS] / row[CONSUMPTION])


def test_import_dependency_null_without_consumption(ctx, raw):
    code, year = raw[raw[CONSUMPTION] == 0].index[0]
    year = int(year)
    frame = queries.import_dependency((code,), year, year)
    assert pd.isna(frame.iloc[0]["dependency_pct"])


@pytest.mark.parametrize("window", [3, 5, 10])
def test_volatility_matches_pandas_rolling(ctx, raw, window):
    frame = queries.volatility("production", ("BRA", "VNM"), 1990, 2023, window)
    for code in ("BRA", "VNM"):
        series = raw.xs(code, level="code")[PRODUCTION].sort_index()
        cv = 100 * series.rolling(window).std() / series.rolling(window).mean()
        for year in (1990, 2005, 2023):
            assert value_at(frame, code, year, "cv_pct") == pytest.approx(cv[year])


def test_volatility_blank_until_window_is_full(ctx):
    frame = queries.volatility("production", ("BRA",), 1960, 1966, 5)
    cv = frame.set_index("market_year")["cv_pct"]
    assert cv.loc[1960:1963].isna().all() and cv.loc[1964:].notna().all()


def test_ranks(ctx, raw):
    frame = queries.ranks(("production", "exports", "imports"), "VNM", 2020, 2023)
    for year in (2020, 2023):
        year_values = raw.xs(year, level="Market_Year")
        for attr, col in ((PRODUCTION, "production"), (EXPORTS, "exports"), (IMPORTS, "imports")):
            positive = year_values[year_values[attr] > 0][attr]
            expected = positive.rank(ascending=False, method="min")["VNM"]
            assert value_at(frame, "VNM", year, f"{col}_rank") == expected
            assert value_at(frame, "VNM", year, f"{col}_count") == len(positive)


def test_trade_pool(ctx, raw):
    year, top = 2023, 5
    values = raw.xs(year, level="Market_Year")
    pool = queries.trade_pool(year, top)
    for attr, side in ((EXPORTS, "exports"), (IMPORTS, "imports")):
        flows = values[values[attr] > 0][attr].sort_values(ascending=False)
        part = pool[pool["side"] == side]
        assert list(part["country_code"][:top]) == list(flows.index[:top])
        other = part[part["country_code"] == "OTHER"].iloc[0]
        assert other["value"] == pytest.approx(flows.iloc[top:].sum())
        assert part["share_pct"].sum() == pytest.approx(100)
        assert part.iloc[0]["share_pct"] == pytest.approx(100 * flows.iloc[0] / flows.sum())


@pytest.mark.parametrize("year,threshold", [(2023, 10), (2015, 25), (2001, 50)])
def test_drawdown(ctx, raw, year, threshold):
    now = raw.xs(year, level="Market_Year")[ENDING]
    before = raw.xs(year - 1, level="Market_Year")[ENDING]
    fall = 100 * (before - now) / before
    expected = set(fall[(before > 0) & (fall > threshold)].index)
    frame = queries.drawdown(year, threshold)
    assert set(frame["country_code"]) == expected
    for row in frame.to_dict("records"):
        assert row["change_pct"] == pytest.approx(-fall[row["country_code"]])


def test_trade_year(ctx, raw):
    values = raw.xs(2023, level="Market_Year")
    frame = queries.trade_year(2023)
    expected = values[(values[EXPORTS] > 0) | (values[IMPORTS] > 0)]
    assert set(frame["country_code"]) == set(expected.index)
    assert value_at(frame, "EU", 2023, "net_exports") == pytest.approx(
        values.loc["EU", EXPORTS] - values.loc["EU", IMPORTS])


def test_top_countries(ctx, raw):
    values = raw.xs(2023, level="Market_Year")[PRODUCTION].sort_values(ascending=False)
    frame = queries.top_countries("production", 2023, 5)
    assert list(frame["country_code"]) == list(values.index[:5])


def test_cached_equals_uncached(ctx):
    store = queries.serving()
    args = ("production", ("BRA", "VNM"), 2000, 2023)
    cached_once = queries.market_share(*args)
    cached_twice = queries.market_share(*args)
    fresh = queries.market_share.uncached(store, *args)
    pd.testing.assert_frame_equal(cached_once, fresh)
    pd.testing.assert_frame_equal(cached_twice, fresh)


@pytest.mark.parametrize("metric", ["production; DROP TABLE obt_world_metrics", "1=1", "", "PRODUCTION"])
def test_metric_names_are_allow_listed(ctx, metric):
    with pytest.raises(ValueError):
        queries.country_series((metric,), ("BRA",), 2000, 2001)
    with pytest.raises(ValueError):
        queries.yoy_change(metric, ("BRA",), 2000, 2001)


def test_country_codes_are_bound_values(ctx):
    frame = queries.country_series(("production",), ("BRA' OR '1'='1",), 1960, 2023)
    assert frame.empty
    assert math.isclose(queries.world_series(("production",), 2023, 2023).iloc[0]["production"],
                        queries.world_series.uncached(queries.serving(), ("production",), 2023, 2023)
                        .iloc[0]["production"])
