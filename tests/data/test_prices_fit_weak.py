"""A fit that explains nothing says so instead of naming the stocks-to-use a price implies."""
import numpy as np
import pytest

from data.queries import price_fit


def test_a_flat_cloud_is_too_weak_to_imply_a_stocks_to_use():
    rng = np.random.default_rng(36)
    stocks = rng.uniform(10, 40, 30)
    prices = np.exp(5 + rng.normal(0, 0.4, 30))  # no relation to stocks
    found = price_fit.fit(range(1990, 2020), prices, stocks)
    assert found.r2 < 0.1
    text = price_fit.sentence(found, "$/t", "Maize", 200.0, "Apr 2025", "2024/25", 20.0)
    assert "too weak to say" in text and "cannot say why prices moved" in text


def test_a_steep_clean_curve_implies_a_bounded_band():
    stocks = np.linspace(10, 40, 30)
    prices = np.exp(8 - 1.0 * np.log(stocks) + np.tile([0.05, -0.05], 15))
    found = price_fit.fit(range(1990, 2020), prices, stocks)
    centre, low, high = found.implied(float(np.exp(8 - np.log(20.0))))
    assert centre == pytest.approx(20.0, rel=5e-3) and low < centre < high
    assert "is what this curve gives" in price_fit.sentence(found, "$/t", "Maize", 100.0, "Apr 2025", "2024/25", 20.0)
