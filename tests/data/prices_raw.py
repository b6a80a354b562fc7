"""The Pink Sheet editions read with pandas alone, independent of data/sources/prices.py: expected values for tests."""
import re
from functools import lru_cache

import pandas as pd

from tests.harness.live import PINK_SHEETS

# Declared series and what the files call them (read by eye from the files, not from the declarations).
SERIES = {"arabica": "Coffee, Arabica", "robusta": "Coffee, Robusta", "maize": "Maize", "hrw": "Wheat, US HRW",
          "srw": "Wheat, US SRW"}
CENTS_PER_LB_FROM_USD_PER_KG = 100 / 2.20462262185
EDITIONS = {"2024-12": PINK_SHEETS[0], "2025-05": PINK_SHEETS[1]}


@lru_cache(maxsize=2)
def edition(release_id):
    """Return the 'Monthly Prices' sheet of an edition as a frame indexed by month (YYYY-MM), one column per series.

    Missing values (`…`) are NaN; column names are stripped of spaces.
    """
    raw = pd.read_excel(EDITIONS[release_id], sheet_name="Monthly Prices", header=None)
    months = raw[0].astype(str).str.fullmatch(r"\d{4}M\d{2}")
    header = raw.index[raw.iloc[:, 1:].astype(str).eq("Coffee, Arabica").any(axis=1)][0]
    body = raw[months].copy()
    body.columns = ["month"] + [str(c).strip() for c in raw.iloc[header, 1:]]
    body["month"] = [re.sub(r"M", "-", m) for m in body["month"]]
    body = body.set_index("month")
    return body.apply(pd.to_numeric, errors="coerce")


def monthly(release_id, slug, factor=1.0):
    """Return a Series of one series' prices by month (missing months dropped), times factor."""
    return edition(release_id)[SERIES[slug]].dropna() * factor


def market_year_means(release_id, slug, start_month, factor=1.0):
    """Return {market year: mean of its 12 months} of the years with all 12 months (year Y opens in start_month)."""
    values = monthly(release_id, slug, factor)
    index = pd.PeriodIndex(values.index, freq="M")
    years = [p.year if p.month >= start_month else p.year - 1 for p in index]
    grouped = values.groupby(years)
    means = grouped.mean()[grouped.count() == 12]
    return {int(year): float(value) for year, value in means.items()}
