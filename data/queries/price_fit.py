"""The fit of price against world stocks-to-use: log price on log stocks-to-use by least squares, and what it implies.

Model: ln(price) = a + b ln(stocks-to-use %) + e, fitted over the market years with both a complete price year and
USDA's world stocks-to-use (least squares in closed form, as scipy.stats.linregress computes it). The stocks-to-use
a price implies is the inverse prediction x0 = exp((ln p - a) / b); its band holds every stocks-to-use whose 95%
prediction interval for ln(price) contains ln p (the calibration interval of Draper and Smith, Applied Regression Analysis, 3rd ed., section 3.2).
"""
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MODEL = "ln(price) = a + b × ln(world stocks-to-use %), ordinary least squares over market years"
LEVEL = 0.95
MIN_YEARS = 8
# The band is searched from a tenth of the lowest to ten times the highest stocks-to-use fitted.
SEARCH = (0.1, 10.0)
GRID = 4001


@dataclass(frozen=True)
class Fit:
    """A fitted curve: intercept a, slope b, r², residual std (of ln price), n, the years and the fitted points."""

    a: float
    b: float
    r2: float
    resid_std: float
    n: int
    years: tuple
    x: tuple
    y: tuple
    t: float

    def price(self, stocks_to_use):
        """Return the fitted price at a stocks-to-use (%)."""
        return math.exp(self.a + self.b * math.log(stocks_to_use))

    def half_width(self, log_x):
        """Return the half width of the prediction interval of ln(price) at ln(stocks-to-use) log_x (or an array)."""
        xs = np.log(self.x)
        sxx = float(((xs - xs.mean()) ** 2).sum())
        return self.t * self.resid_std * np.sqrt(1 + 1 / self.n + (log_x - xs.mean()) ** 2 / sxx)

    def centre(self, price):
        """Return the stocks-to-use (%) at which the fitted curve gives price."""
        return math.exp((math.log(price) - self.a) / self.b) if self.b else None

    def implied(self, price):
        """Return (stocks-to-use the price implies, band low, band high); a band end is None when unbounded."""
        if self.b == 0:
            return None, None, None
        target = math.log(price)
        grid = np.linspace(math.log(min(self.x) * SEARCH[0]), math.log(max(self.x) * SEARCH[1]), GRID)
        inside = grid[np.abs(target - (self.a + self.b * grid)) <= self.half_width(grid)]
        if not inside.size:
            return self.centre(price), None, None
        low = None if inside[0] == grid[0] else math.exp(inside[0])
        high = None if inside[-1] == grid[-1] else math.exp(inside[-1])
        return self.centre(price), low, high


@lru_cache(maxsize=256)
def t_quantile(df):
    """Return the t distribution's two-sided LEVEL quantile with df degrees of freedom."""
    from scipy import stats  # imported when a fit is drawn, not at every web start

    return float(stats.t.ppf(0.5 + LEVEL / 2, df))


def fit(years, prices, stocks_to_use):
    """Return the Fit of ln(price) on ln(stocks-to-use) over the years given, or None with fewer than MIN_YEARS.

    The least-squares sums in closed form (what scipy.stats.linregress computes; the tests compare the two).
    """
    points = [(int(y), float(p), float(s)) for y, p, s in zip(years, prices, stocks_to_use)
              if p and s and p > 0 and s > 0 and math.isfinite(p) and math.isfinite(s)]
    if len(points) < MIN_YEARS:
        return None
    ys, ps, ss = zip(*points)
    x, y = np.log(ss), np.log(ps)
    n = len(points)
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy, sxy = float(dx @ dx), float(dy @ dy), float(dx @ dy)
    if not sxx or not syy:
        return None
    b = sxy / sxx
    a = float(y.mean() - b * x.mean())
    residuals = y - (a + b * x)
    resid_std = math.sqrt(float(residuals @ residuals) / (n - 2))
    return Fit(a, b, sxy * sxy / (sxx * syy), resid_std, n, ys, ss, ps, t_quantile(n - 2))


def sentence(found, unit, name, latest_price, latest_month, usda_year, usda_value):
    """Return the plain sentence of what the fit says, and what it cannot say."""
    if found is None:
        return (f"Too few market years with both a complete year of {name} prices and USDA's world stocks-to-use "
                f"to fit a curve (at least {MIN_YEARS} needed).")
    centre, low, high = found.implied(latest_price)
    trend = (f"Over {found.n} market years ({found.years[0]}-{found.years[-1]}), a 1% higher world stocks-to-use "
             f"went with a {abs(found.b):.2f}% {'lower' if found.b < 0 else 'higher'} average {name} price "
             f"(R² {found.r2:.2f}).")
    if low is None and high is None:
        says = (f"{trend} The fit is too weak to say what world stocks-to-use the latest price, {latest_price:,.1f} "
                f"{unit} ({latest_month}), implies: its 95% band covers every value searched. USDA's latest "
                f"estimate for {usda_year} is {usda_value:.1f}%.")
    else:
        band = f"{_pct(low, 'below the range searched')} to {_pct(high, 'above the range searched')}"
        says = (f"{trend} The latest price, {latest_price:,.1f} {unit} ({latest_month}), is what this curve gives "
                f"at a world stocks-to-use of {centre:.1f}% (95% band {band}); USDA's latest estimate for "
                f"{usda_year} is {usda_value:.1f}%.")
    cannot = (" It cannot say why prices moved, nor forecast them: prices are nominal (no inflation adjustment), "
              "other things (currencies, costs, speculation, quality premiums) move them too, and a weak fit "
              "gives a wide band.")
    return says + cannot


def _pct(value, unbounded):
    """Return a percentage, or the words for an unbounded band end."""
    return unbounded if value is None else f"{value:.1f}%"
