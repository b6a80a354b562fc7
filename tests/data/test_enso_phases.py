"""The ENSO phase of each country's market years and the production anomaly, against pandas over the raw files."""
import itertools

import duckdb
import numpy as np
import pandas as pd
import pytest

from data.queries import enso as enso_queries
from tests.data.enso_fixtures import oni_frame

# Each country's marketing year opens in this month (USDA attaché reports, typed here independently of data/).
OPENS = {"BRA": 7, "VNM": 10, "IDN": 4, "ETH": 10, "KEN": 10, "WORLD": 10}
# Wheat: the US marketing year opens in June (USDA ERS); world totals and countries without one follow USDA's
# July/June wheat trade year.
WHEAT_OPENS = {"USA": 6, "WORLD": 7, "BRA": 7}


@pytest.fixture(scope="module")
def con(enso_data_dir):
    """Return a read-only connection to the serving file with the real PSD and ONI data."""
    connection = duckdb.connect(str(enso_data_dir / "serving.duckdb"), read_only=True)
    yield connection
    connection.close()


def expected_phases(code, years, opens=OPENS):
    """Return {market year: (mean ONI, phase)} by NOAA's rule on the raw file, with pandas and itertools only."""
    oni = oni_frame()["oni"].to_numpy()
    side = np.where(oni >= 0.5, 1, np.where(oni <= -0.5, -1, 0))
    episode = []
    for value, run in itertools.groupby(side):
        run = list(run)
        episode += [value if value != 0 and len(run) >= 5 else 0] * len(run)
    episode = np.array(episode)
    found = {}
    for year in years:
        first = (year - 1 - 1950) * 12 + opens[code] - 1  # row of the season centred on the window's first month
        if first + 12 > len(oni):
            continue
        window = episode[first:first + 12]
        el, la = int((window == 1).sum()), int((window == -1).sum())
        phase = "El Niño" if el >= 5 and el > la else "La Niña" if la >= 5 and la > el else "Neutral"
        found[year] = (round(float(oni[first:first + 12].mean()), 4), phase)
    return found


@pytest.mark.parametrize("code", sorted(OPENS))
def test_phase_rule_matches_an_independent_computation(con, code):
    served = enso_queries.phases.uncached(con, (code,), 1951, 2030)
    got = {int(r.market_year): (float(r.oni), r.phase) for r in served.itertuples()}
    expected = expected_phases(code, range(1951, 2031))
    assert got.keys() == expected.keys()
    for year, (oni, phase) in expected.items():
        assert got[year][1] == phase, (code, year)
        assert got[year][0] == pytest.approx(oni, abs=1e-4), (code, year)
    # Known episodes: the 1997-98 El Niño and the 2010-11 La Niña shape the years after them.
    assert got[1998][1] == "El Niño" and got[2011][1] == "La Niña"


@pytest.mark.parametrize("code", sorted(WHEAT_OPENS))
def test_wheat_windows_follow_wheat_s_marketing_and_trade_years(con, code):
    served = enso_queries.phases.uncached(con, (code,), 1951, 2030, None, "wheat")
    got = {int(r.market_year): (float(r.oni), r.phase) for r in served.itertuples()}
    expected = expected_phases(code, range(1951, 2031), WHEAT_OPENS)
    assert got.keys() == expected.keys()
    assert [got[y][1] for y in expected] == [phase for _, phase in expected.values()]
    assert [got[y][0] for y in expected] == pytest.approx([oni for oni, _ in expected.values()], abs=1e-4)


def test_the_last_window_is_the_last_complete_one(con):
    served = enso_queries.phases.uncached(con, ("BRA", "VNM"), 2020, 2030)
    last = served.groupby("country_code")["market_year"].max().to_dict()
    # JJA 2026 (centred on July) ends the file: Brazil's window to June 2026 is whole, Vietnam's to September is not.
    assert last == {"BRA": 2026, "VNM": 2025}


def test_production_anomaly_is_the_centred_five_year_mean(con, raw_frame):
    raw = raw_frame[(raw_frame["Attribute_ID"] == 28)]
    for code in ("BRA", "VNM", "WORLD"):
        rows = raw if code == "WORLD" else raw[raw["Country_Code"] == code]
        production = rows.groupby("Market_Year")["Value"].sum()
        if code != "WORLD":
            production = production.where(production != 0)  # a zero balance sheet did not report
        trend = production.rolling(5, center=True, min_periods=5).mean()
        expected = (100 * (production - trend) / trend).dropna()
        served = enso_queries.production_anomaly.uncached(con, code, 1960, 2023).dropna(subset=["anomaly_pct"])
        assert served["market_year"].tolist() == expected.index.tolist()
        assert served["anomaly_pct"].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)
