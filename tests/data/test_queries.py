"""Query functions against numbers computed from the raw USDA CSV with pandas."""
from datetime import datetime, timezone

import duckdb
import pandas as pd
import pytest

from data.serving import export

from data.sources import psd as ingest

from data.queries import metrics as queries
from data.schema import FALLBACK_COUNTRY_CODES, WORLD
from tests.conftest import RAW_CSV

# USDA attribute ids (see ../shared/data/README.md).
PRODUCTION, IMPORTS, EXPORTS, CONSUMPTION, ENDING = 28, 57, 88, 125, 176
COUNTRIES = ("BRA", "VNM", "COL", "EU", "CIV", "JPN", "USA", "ETH")


def build_serving(con, csv_text, name="test.csv"):
    """Build the serving tables on con with the export code, from raw USDA CSV text."""
    return export.build_values(con, ingest.parse(name, csv_text), source=name,
                               loaded_at=datetime(2024, 5, 1, tzinfo=timezone.utc))


@pytest.fixture(scope="module")
def con():
    """Return an in-memory DuckDB holding the serving tables of the real USDA file."""
    connection = build_serving(duckdb.connect(":memory:"), RAW_CSV.read_text(), RAW_CSV.name)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def raw(raw_by_code):
    """Return the raw values by (ISO3 code, market year) x attribute id."""
    return raw_by_code


def value_at(frame, code, year, column):
    """Return one cell of a query frame by country code and market year."""
    rows = frame[(frame["country_code"] == code) & (frame["market_year"] == year)]
    assert len(rows) == 1, (code, year)
    return rows.iloc[0][column]


def test_production_by_country(con, raw):
    frame = queries.country_series.uncached(con, ("production",), COUNTRIES, 1975, 2023)
    assert set(frame["country_code"]) == set(COUNTRIES)
    assert len(frame) == len(COUNTRIES) * 49
    for code in COUNTRIES:
        for year in (1975, 1999, 2023):
            assert value_at(frame, code, year, "production") == pytest.approx(raw.loc[(code, year), PRODUCTION], nan_ok=True)


def test_names_keyed_by_raw_country_name(con, raw_frame):
    frame = queries.countries.uncached(con)
    names = dict(zip(frame["country_code"], frame["country"]))
    for name, code in FALLBACK_COUNTRY_CODES.items():
        if name in set(raw_frame["Country_Name"]):
            assert names[code] == name
    assert names["BRA"] == "Brazil"


@pytest.mark.parametrize("year", [1960, 1990, 2010, 2023])
def test_world_sums(con, raw, year):
    metrics = ("production", "exports", "imports", "ending_stocks", "domestic_consumption")
    frame = queries.world_series.uncached(con, metrics, year, year)
    expected = raw.xs(year, level="Market_Year").sum()
    row = frame.iloc[0]
    assert row["country_code"] == WORLD
    assert row["production"] == pytest.approx(expected[PRODUCTION])
    assert row["exports"] == pytest.approx(expected[EXPORTS])
    assert row["imports"] == pytest.approx(expected[IMPORTS])
    assert row["ending_stocks"] == pytest.approx(expected[ENDING])
    assert row["domestic_consumption"] == pytest.approx(expected[CONSUMPTION])


def test_series_mixes_countries_and_world(con, raw):
    frame = queries.series.uncached(con, ("production",), ("BRA", WORLD), 2020, 2023)
    assert set(frame["country_code"]) == {"BRA", WORLD}
    world = raw.xs(2021, level="Market_Year")[PRODUCTION].sum()
    assert value_at(frame, WORLD, 2021, "production") == pytest.approx(world)


@pytest.mark.parametrize("code,year", [("BRA", 2023), ("JPN", 2010), ("EU", 2015), ("VNM", 1995)])
def test_stocks_to_use_by_country(con, raw, code, year):
    frame = queries.country_series.uncached(con, ("stocks_to_use_pct",), (code,), year, year)
    row = raw.loc[(code, year)]
    expected = 100 * row[ENDING] / (row[CONSUMPTION] + row[EXPORTS])
    assert frame.iloc[0]["stocks_to_use_pct"] == pytest.approx(expected)


@pytest.mark.parametrize("year", [1980, 2005, 2023])
def test_world_stocks_to_use(con, raw, year):
    world = raw.xs(year, level="Market_Year").sum()
    frame = queries.world_series.uncached(con, ("stocks_to_use_pct",), year, year)
    assert frame.iloc[0]["stocks_to_use_pct"] == pytest.approx(100 * world[ENDING] / world[CONSUMPTION])


def test_stocks_to_use_null_without_use(con, raw):
    use = raw[CONSUMPTION] + raw[EXPORTS]
    code, year = use[use == 0].index[0]
    year = int(year)
    frame = queries.country_series.uncached(con, ("stocks_to_use_pct",), (code,), year, year)
    assert pd.isna(frame.iloc[0]["stocks_to_use_pct"])


def test_yoy_change(con, raw):
    frame = queries.yoy_change.uncached(con, "production", ("BRA", "VNM", "COL"), 2000, 2023)
    assert len(frame) == 3 * 24
    for code in ("BRA", "VNM", "COL"):
        for year in (2000, 2012, 2023):
            now, before = raw.loc[(code, year), PRODUCTION], raw.loc[(code, year - 1), PRODUCTION]
            assert value_at(frame, code, year, "previous") == pytest.approx(before)
            assert value_at(frame, code, year, "change") == pytest.approx(now - before)
            assert value_at(frame, code, year, "change_pct") == pytest.approx(100 * (now - before) / before)


def test_yoy_change_first_year_has_no_previous(con):
    frame = queries.yoy_change.uncached(con, "production", ("BRA",), 1960, 1961)
    first = frame[frame["market_year"] == 1960].iloc[0]
    assert pd.isna(first["previous"]) and pd.isna(first["change"]) and pd.isna(first["change_pct"])


@pytest.mark.parametrize("year", [1970, 2000, 2023])
def test_market_share(con, raw, year):
    frame = queries.market_share.uncached(con, "production", ("BRA", "VNM", "ETH"), year, year)
    world = raw.xs(year, level="Market_Year")[PRODUCTION].sum()
    for code in ("BRA", "VNM", "ETH"):
        expected = 100 * raw.loc[(code, year), PRODUCTION] / world
        assert value_at(frame, code, year, "share_pct") == pytest.approx(expected)
        assert value_at(frame, code, year, "world_value") == pytest.approx(world)


def test_market_share_of_a_ratio_is_null(con):
    frame = queries.market_share.uncached(con, "stocks_to_use_pct", ("BRA",), 2023, 2023)
    assert pd.isna(frame.iloc[0]["share_pct"])
    assert frame.iloc[0]["world_value"] > 0


@pytest.mark.parametrize("code,year", [("USA", 2023), ("JPN", 2015), ("EU", 2010), ("COL", 2020), ("IND", 2023)])
def test_import_dependency(con, raw, code, year):
    frame = queries.import_dependency.uncached(con, (code,), year, year)
    row = raw.loc[(code, year)]
    assert frame.iloc[0]["dependency_pct"] == pytest.approx(100 * row[IMPORTS] / row[CONSUMPTION])


def test_import_dependency_null_without_consumption(con, raw):
    code, year = raw[raw[CONSUMPTION] == 0].index[0]
    year = int(year)
    frame = queries.import_dependency.uncached(con, (code,), year, year)
    assert pd.isna(frame.iloc[0]["dependency_pct"])


@pytest.mark.parametrize("window", [3, 5, 10])
def test_volatility_matches_pandas_rolling(con, raw, window):
    frame = queries.volatility.uncached(con, "production", ("BRA", "VNM"), 1990, 2023, window)
    for code in ("BRA", "VNM"):
        series = raw.xs(code, level="code")[PRODUCTION].sort_index()
        cv = 100 * series.rolling(window).std() / series.rolling(window).mean()
        for year in (1990, 2005, 2023):
            assert value_at(frame, code, year, "cv_pct") == pytest.approx(cv[year])


def test_volatility_blank_until_window_is_full(con):
    frame = queries.volatility.uncached(con, "production", ("BRA",), 1960, 1966, 5)
    cv = frame.set_index("market_year")["cv_pct"]
    assert cv.loc[1960:1963].isna().all() and cv.loc[1964:].notna().all()


def test_ranks(con, raw):
    frame = queries.ranks.uncached(con, ("production", "exports", "imports"), "VNM", 2020, 2023)
    for year in (2020, 2023):
        year_values = raw.xs(year, level="Market_Year")
        for attr, col in ((PRODUCTION, "production"), (EXPORTS, "exports"), (IMPORTS, "imports")):
            positive = year_values[year_values[attr] > 0][attr]
            expected = positive.rank(ascending=False, method="min")["VNM"]
            assert value_at(frame, "VNM", year, f"{col}_rank") == expected
            assert value_at(frame, "VNM", year, f"{col}_count") == len(positive)


def test_trade_pool(con, raw):
    year, top = 2023, 5
    values = raw.xs(year, level="Market_Year")
    pool = queries.trade_pool.uncached(con, year, top)
    for attr, side in ((EXPORTS, "exports"), (IMPORTS, "imports")):
        flows = values[values[attr] > 0][attr].sort_values(ascending=False)
        part = pool[pool["side"] == side]
        assert list(part["country_code"][:top]) == list(flows.index[:top])
        other = part[part["country_code"] == "OTHER"].iloc[0]
        assert other["value"] == pytest.approx(flows.iloc[top:].sum())
        assert part["share_pct"].sum() == pytest.approx(100)
        assert part.iloc[0]["share_pct"] == pytest.approx(100 * flows.iloc[0] / flows.sum())


@pytest.mark.parametrize("year,threshold", [(2023, 10), (2015, 25), (2001, 50)])
def test_drawdown(con, raw, year, threshold):
    now = raw.xs(year, level="Market_Year")[ENDING]
    before = raw.xs(year - 1, level="Market_Year")[ENDING]
    fall = 100 * (before - now) / before
    expected = set(fall[(before > 0) & (fall > threshold)].index)
    frame = queries.drawdown.uncached(con, year, threshold)
    assert set(frame["country_code"]) == expected
    for row in frame.to_dict("records"):
        assert row["change_pct"] == pytest.approx(-fall[row["country_code"]])


def test_trade_year(con, raw):
    values = raw.xs(2023, level="Market_Year")
    frame = queries.trade_year.uncached(con, 2023)
    expected = values[(values[EXPORTS] > 0) | (values[IMPORTS] > 0)]
    assert set(frame["country_code"]) == set(expected.index)
    assert value_at(frame, "EU", 2023, "net_exports") == pytest.approx(
        values.loc["EU", EXPORTS] - values.loc["EU", IMPORTS])


def test_top_countries(con, raw):
    values = raw.xs(2023, level="Market_Year")[PRODUCTION].sort_values(ascending=False)
    frame = queries.top_countries.uncached(con, "production", 2023, 5)
    assert list(frame["country_code"]) == list(values.index[:5])


@pytest.mark.parametrize("metric", ["production; DROP TABLE obt_world_metrics", "1=1", "", "PRODUCTION"])
def test_metric_names_are_allow_listed(con, metric):
    with pytest.raises(ValueError):
        queries.country_series.uncached(con, (metric,), ("BRA",), 2000, 2001)
    with pytest.raises(ValueError):
        queries.yoy_change.uncached(con, metric, ("BRA",), 2000, 2001)




class Recording:
    """A DuckDB connection that records the SQL text and bound parameters of every statement."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def execute(self, sql, params=None):
        self.statements.append((sql, list(params or [])))
        return self.con.execute(sql, params or [])


HOSTILE_CODE = "BRA' OR '1'='1"


@pytest.mark.parametrize("call", [
    lambda c: queries.country_series.uncached(c, ("production",), (HOSTILE_CODE, "BRA"), 2000, 2001),
    lambda c: queries.series.uncached(c, ("production",), (HOSTILE_CODE, WORLD), 2000, 2001),
    lambda c: queries.market_share.uncached(c, "production", (HOSTILE_CODE,), 2000, 2001),
    lambda c: queries.yoy_change.uncached(c, "production", (HOSTILE_CODE,), 2000, 2001),
    lambda c: queries.import_dependency.uncached(c, (HOSTILE_CODE,), 2000, 2001),
    lambda c: queries.volatility.uncached(c, "production", (HOSTILE_CODE,), 2000, 2001, 3),
    lambda c: queries.ranks.uncached(c, ("production",), HOSTILE_CODE, 2000, 2001),
])
def test_browser_values_reach_duckdb_only_as_bound_parameters(con, call):
    recording = Recording(con)
    frame = call(recording)
    assert recording.statements
    assert all(HOSTILE_CODE not in sql for sql, _ in recording.statements)
    assert any(HOSTILE_CODE in str(params) for _, params in recording.statements)
    assert "country_code" not in frame or set(frame["country_code"]) <= {"BRA", WORLD}


@pytest.mark.parametrize("call", [
    lambda c: queries.countries.uncached(c, HOSTILE_CODE),
    lambda c: queries.trade_year.uncached(c, 2020, HOSTILE_CODE),
    lambda c: queries.world_series.uncached(c, ("production",), 2000, 2001, HOSTILE_CODE),
])
def test_a_commodity_not_declared_is_refused_before_any_sql(con, call):
    from data.commodities import UnknownCommodity

    recording = Recording(con)
    with pytest.raises(UnknownCommodity, match="unknown commodity"):
        call(recording)
    assert recording.statements == []


def test_query_results_are_cached_per_serving_file_version(tmp_path, monkeypatch):
    from flask import Flask

    from data.serving import reader as serving
    from extensions import cache

    small = ("Commodity_Code,Commodity_Description,Country_Code,Country_Name,Market_Year,Calendar_Year,Month,"
             "Attribute_ID,Attribute_Description,Unit_ID,Unit_Description,Value\n"
             "0711100,Coffee Green,BRA,Brazil,2020,2021,6,28,Production,2,(1000 60 KG BAGS),69900\n"
             "0711100,Coffee Green,VNM,Vietnam,2020,2021,6,28,Production,2,(1000 60 KG BAGS),29000\n")
    file = duckdb.connect(str(tmp_path / "serving.duckdb"))
    build_serving(file, small)
    file.close()
    app = Flask(__name__)
    app.config.update(BEANFLOWS_DATA_DIR=str(tmp_path), CACHE_TYPE="SimpleCache", QUERY_CACHE_ENABLED=True)
    cache.init_app(app)
    serving.init_app(app)
    with app.app_context():
        first = queries.top_countries("production", 2020, 5)
        assert list(first["country_code"]) == ["BRA", "VNM"]

        def unreachable(self):
            raise AssertionError("the database was queried")

        monkeypatch.setattr(serving.ServingFile, "connection", unreachable)
        pd.testing.assert_frame_equal(queries.top_countries("production", 2020, 5), first)  # from the cache
        with pytest.raises(AssertionError, match="queried"):
            queries.top_countries("production", 2020, 1)  # other arguments: not cached
        monkeypatch.setattr(serving.ServingFile, "version", lambda self: "a-new-export")
        with pytest.raises(AssertionError, match="queried"):
            queries.top_countries("production", 2020, 5)  # a new serving file invalidates it
