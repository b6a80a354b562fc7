"""Price against world stocks-to-use: the served points equal pandas over the raw files, the fit equals scipy's."""
import math

import numpy as np
import pytest
from scipy import stats

from callbacks import prices as page
from callbacks.page import NothingToShow
from data.queries import price_fit
from data.queries import prices as price_queries
from tests.data.prices_raw import CENTS_PER_LB_FROM_USD_PER_KG, market_year_means, monthly

pytestmark = pytest.mark.data  # reads ../shared/data's Pink Sheet editions (tests/data/prices_raw.py)

YEARS = (1999, 2023)
OCTOBER = 10  # coffee's price year: the ICO coffee year, October to September


@pytest.fixture(scope="module")
def world_stocks_to_use(raw_frame):
    """Return {market year: 100 x world ending stocks / world domestic consumption} summed from USDA's raw CSV."""
    wanted = raw_frame[raw_frame["Attribute_ID"].isin([176, 125])]
    sums = wanted.pivot_table(index="Market_Year", columns="Attribute_ID", values="Value", aggfunc="sum")
    return {int(year): 100 * row[176] / row[125] for year, row in sums.iterrows() if row[125]}


@pytest.fixture(scope="module")
def expected_points(world_stocks_to_use):
    """Return [(market year, arabica average in cents/lb, world stocks-to-use)] of YEARS, from the raw files."""
    prices = market_year_means("2025-05", "arabica", OCTOBER, CENTS_PER_LB_FROM_USD_PER_KG)
    return [(y, prices[y], world_stocks_to_use[y]) for y in range(YEARS[0], YEARS[1] + 1)
            if y in prices and y in world_stocks_to_use]


def test_served_points_equal_the_raw_files(app, expected_points):
    with app.app_context():
        served = price_queries.prices_against_stocks("coffee", "arabica")
    served = served[(served["market_year"] >= YEARS[0]) & (served["market_year"] <= YEARS[1])]
    assert served["market_year"].tolist() == [y for y, _, _ in expected_points]
    assert served["price"].tolist() == pytest.approx([p for _, p, _ in expected_points], rel=1e-9)
    assert served["stocks_to_use_pct"].tolist() == pytest.approx([s for _, _, s in expected_points], rel=1e-9)
    assert set(served["unit"]) == {"US cents/lb"}


def test_fit_equals_scipy_on_the_same_points(expected_points):
    years, prices, stocks = zip(*expected_points)
    found = price_fit.fit(years, prices, stocks)
    x, y = np.log(stocks), np.log(prices)
    reference = stats.linregress(x, y)
    assert found.n == len(expected_points) == 25 and found.years == years
    assert found.b == pytest.approx(reference.slope, rel=1e-12)
    assert found.a == pytest.approx(reference.intercept, rel=1e-12)
    assert found.r2 == pytest.approx(reference.rvalue ** 2, rel=1e-12)
    slope, intercept = np.polyfit(x, y, 1)
    residuals = y - (intercept + slope * x)
    assert found.resid_std == pytest.approx(math.sqrt((residuals ** 2).sum() / (len(x) - 2)), rel=1e-9)
    assert found.b < 0  # more stocks, lower prices


def test_implied_stocks_to_use_and_its_band_solve_the_prediction_interval(expected_points):
    years, prices, stocks = zip(*expected_points)
    found = price_fit.fit(years, prices, stocks)
    latest = monthly("2025-05", "arabica", CENTS_PER_LB_FROM_USD_PER_KG).iloc[-1]
    centre, low, high = found.implied(latest)
    x, y0 = np.log(stocks), math.log(latest)
    reference = stats.linregress(x, np.log(prices))
    assert math.log(centre) == pytest.approx((y0 - reference.intercept) / reference.slope, rel=1e-12)
    # The band's ends: where the 95% prediction interval of ln(price) just reaches ln(latest price), a quadratic in u.
    n, mean, sxx = len(x), x.mean(), ((x - x.mean()) ** 2).sum()
    ts = stats.t.ppf(0.975, n - 2) * found.resid_std
    a, b = reference.intercept, reference.slope
    quadratic = [b * b - ts * ts / sxx, -2 * b * (y0 - a) + 2 * ts * ts * mean / sxx,
                 (y0 - a) ** 2 - ts * ts * (1 + 1 / n) - ts * ts * mean * mean / sxx]
    ends = sorted(math.exp(root) for root in np.roots(quadratic).real)
    assert (low, high) == (pytest.approx(ends[0], rel=5e-3), pytest.approx(ends[1], rel=5e-3))
    assert low < centre < high


def test_the_page_shows_the_fit_and_says_what_it_cannot(app, expected_points):
    with app.app_context():
        checked = {"series": "arabica", "years": YEARS}
        frame = page.fit_frame(checked, None)
        _, message = page.fit_render(frame, checked, None)
    years, prices, stocks = zip(*expected_points)
    reference = stats.linregress(np.log(stocks), np.log(prices))
    text = str(message)
    assert f"n = {len(years)}" in text and f"R² = {reference.rvalue ** 2:.3f}" in text
    assert "Years 1999-2023" in text and "cannot say" in text
    assert set(frame["source"]) == {"World Bank Commodity Price Data (The Pink Sheet), CC BY 4.0"}


def test_a_commodity_without_series_says_so(app):
    with app.app_context():
        with pytest.raises(NothingToShow) as none:
            page.history_frame({"commodity": "oats", "years": YEARS}, None)
    assert "no price series for oats" in str(none.value)
