"""Generate labelled demo data in USDA's live bulk layout: a sequence of releases, each revising the one before.

Release 0 is 2024-06, then every June and December (2024-12, 2025-06, ...), as USDA updates coffee. A June
release adds the new market year; every release revises the last two market years for a handful of
countries (production, stocks and so trade), and release 1 reports a country for the first time. Each
release is a whole balance sheet in which every identity holds.
"""
import csv
import io
import random

from data.countries import PSD_COUNTRIES
from data.schema import COFFEE

DEMO_COMMODITY = "Coffee, Green (DEMO DATA)"
UNIT = "(1000 60 KG BAGS)"
FIRST_YEAR = 1990
FIRST_RELEASE_YEAR = 2024
# How many releases `ingest --demo` loads into an empty store; each later run loads the next one.
INITIAL_RELEASES = 3
# Ends the source of demo releases loaded because the real file could not be fetched (`ingest --fallback-demo`),
# so the banner says what happened: a deliberate `ingest --demo` has none.
FELL_BACK = "; loaded because this could not be fetched: "
SEED = 7
# Countries every release revises (so an alert on them always has something to say), and how many others.
ALWAYS_REVISED = ("BRA", "VNM")
OTHERS_REVISED = 3

# (iso3, production base, arabica share, robusta share, consumption base, import share, first release)
COUNTRIES = [
    ("BRA", 45000, 0.70, 0.29, 20000, 0.00, 0),
    ("VNM", 22000, 0.04, 0.95, 2500, 0.05, 0),
    ("COL", 12000, 1.00, 0.00, 1600, 0.30, 0),
    ("IDN", 10000, 0.10, 0.88, 4000, 0.10, 0),
    ("ETH", 6500, 1.00, 0.00, 3500, 0.00, 0),
    ("HND", 5500, 1.00, 0.00, 350, 0.00, 0),
    ("UGA", 4500, 0.20, 0.80, 250, 0.00, 0),
    ("IND", 5500, 0.27, 0.73, 1200, 0.20, 0),
    ("PER", 4000, 1.00, 0.00, 250, 0.00, 1),
    ("USA", 60, 1.00, 0.00, 26000, 1.00, 0),
    ("EU", 0, 0.0, 0.0, 42000, 1.00, 0),
    ("JPN", 0, 0.0, 0.0, 7300, 1.00, 0),
]
PSD_CODE = {iso3: (code, name) for code, (iso3, name) in PSD_COUNTRIES.items()}

ATTRS = [
    (20, "Beginning Stocks"), (28, "Production"), (29, "Arabica Production"),
    (53, "Robusta Production"), (56, "Other Production"), (57, "Imports"),
    (58, "Bean Imports"), (75, "Roast & Ground Imports"), (82, "Soluble Imports"),
    (86, "Total Supply"), (88, "Exports"), (90, "Bean Exports"),
    (107, "Roast & Ground Exports"), (114, "Soluble Exports"),
    (125, "Domestic Consumption"), (141, "Rst,Ground Dom. Consum"),
    (154, "Soluble Dom. Cons."), (176, "Ending Stocks"), (178, "Total Distribution"),
]
HEADER = ["Commodity_Code", "Commodity_Description", "Country_Code", "Country_Name", "Market_Year",
          "Calendar_Year", "Month", "Attribute_ID", "Attribute_Description", "Unit_ID", "Unit_Description", "Value"]


def release_month(index):
    """Return (year, month) of demo release index: 2024-06, 2024-12, 2025-06, ..."""
    return FIRST_RELEASE_YEAR + index // 2, 6 if index % 2 == 0 else 12


def release_id(index):
    """Return the YYYY-MM id of demo release index."""
    return "%04d-%02d" % release_month(index)


def release_index(release):
    """Return the index of a demo release id, or None when the id is not one of the sequence."""
    year, month = (int(part) for part in release.split("-"))
    index = 2 * (year - FIRST_RELEASE_YEAR) + (month == 12)
    return index if index >= 0 and month in (6, 12) else None


def last_year(index):
    """Return the last market year demo release index reports (June adds the year that begins then)."""
    return release_month(index)[0]


def _split(total, shares):
    """Split an integer total into integer parts by shares, summing exactly."""
    parts = [int(total * s) for s in shares[:-1]]
    return parts + [total - sum(parts)]


def _revisions(index):
    """Return {(iso3, market year): (production factor, stock factor)}: what releases 1..index revised."""
    factors = {}
    for release in range(1, index + 1):
        rng = random.Random(f"{SEED}-release-{release}")
        reported = [spec[0] for spec in COUNTRIES if spec[6] <= release - 1 and spec[0] not in ALWAYS_REVISED]
        for iso3 in (*ALWAYS_REVISED, *rng.sample(sorted(reported), OTHERS_REVISED)):
            for year in (last_year(release) - 1, last_year(release)):
                production = 1 + rng.choice((-1, 1)) * rng.uniform(0.02, 0.06)
                stocks = 1 + rng.choice((-1, 1)) * rng.uniform(0.05, 0.2)
                old = factors.get((iso3, year), (1.0, 1.0))
                factors[(iso3, year)] = (old[0] * production, old[1] * stocks)
    return factors


def _country_years(spec, index, revised):
    """Yield (year, {attribute_id: value}) of one country as release index publishes it."""
    iso3, prod_base, arabica, robusta, cons_base, import_share, _ = spec
    ending = int(prod_base * 0.15 + cons_base * 0.1)
    for year in range(FIRST_YEAR, last_year(index) + 1):
        rng = random.Random(f"{SEED}-{iso3}-{year}")
        production_factor, stock_factor = revised.get((iso3, year), (1.0, 1.0))
        trend = 1 + 0.015 * (year - FIRST_YEAR)
        production = int(prod_base * trend * rng.uniform(0.85, 1.15) * production_factor)
        consumption = int(cons_base * trend * rng.uniform(0.95, 1.05))
        imports = int(consumption * import_share * rng.uniform(0.95, 1.15))
        beginning = ending
        supply = beginning + production + imports
        target_stocks = int(supply * min(0.3, rng.uniform(0.08, 0.2) * stock_factor))
        exports = max(0, supply - consumption - target_stocks)
        ending = supply - consumption - exports
        v = {20: beginning, 28: production, 57: imports, 86: supply, 88: exports,
             125: consumption, 176: ending, 178: exports + consumption + ending}
        v[29], v[53], v[56] = _split(production, [arabica, robusta, 1 - arabica - robusta])
        v[58], v[75], v[82] = _split(imports, [0.85, 0.05, 0.10])
        v[90], v[107], v[114] = _split(exports, [0.9, 0.02, 0.08])
        v[141], v[154] = _split(consumption, [0.8, 0.2])
        yield year, v


def demo_csv(index=0):
    """Return demo release index as CSV text in USDA's live layout (two-letter codes, release month, quoted)."""
    year, month = release_month(index)
    revised = _revisions(index)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER)
    for spec in COUNTRIES:
        if spec[6] > index:
            continue
        code, name = PSD_CODE[spec[0]]
        for market_year, values in _country_years(spec, index, revised):
            for attr_id, attr_name in ATTRS:
                writer.writerow([COFFEE, DEMO_COMMODITY, code, name, market_year, year, f"{month:02d}",
                                 f"{attr_id:03d}", attr_name, "02", UNIT, f"{values[attr_id]:.4f}"])
    return out.getvalue()
