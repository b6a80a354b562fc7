"""Generate labelled demo data in USDA's bulk CSV layout, every identity holding."""
import csv
import io
import random

from data.schema import COFFEE

DEMO_COMMODITY = "Coffee, Green (DEMO DATA)"
UNIT = "(1000 60 KG BAGS)"

# (iso3, name, production base, arabica share, robusta share, consumption base, import share)
COUNTRIES = [
    ("BRA", "Brazil", 45000, 0.70, 0.29, 20000, 0.00),
    ("VNM", "Vietnam", 22000, 0.04, 0.95, 2500, 0.05),
    ("COL", "Colombia", 12000, 1.00, 0.00, 1600, 0.30),
    ("IDN", "Indonesia", 10000, 0.10, 0.88, 4000, 0.10),
    ("ETH", "Ethiopia", 6500, 1.00, 0.00, 3500, 0.00),
    ("HND", "Honduras", 5500, 1.00, 0.00, 350, 0.00),
    ("UGA", "Uganda", 4500, 0.20, 0.80, 250, 0.00),
    ("USA", "United States", 60, 1.00, 0.00, 26000, 1.00),
    ("DEU", "Germany", 0, 0.0, 0.0, 9000, 1.00),
    ("JPN", "Japan", 0, 0.0, 0.0, 7300, 1.00),
    ("ITA", "Italy", 0, 0.0, 0.0, 5800, 1.00),
]

ATTRS = [
    (20, "Beginning Stocks"), (28, "Production"), (29, "Arabica Production"),
    (53, "Robusta Production"), (56, "Other Production"), (57, "Imports"),
    (58, "Bean Imports"), (75, "Roast & Ground Imports"), (82, "Soluble Imports"),
    (86, "Total Supply"), (88, "Exports"), (90, "Bean Exports"),
    (107, "Roast & Ground Exports"), (114, "Soluble Exports"),
    (125, "Domestic Consumption"), (141, "Rst,Ground Dom. Consum"),
    (154, "Soluble Dom. Cons."), (176, "Ending Stocks"), (178, "Total Distribution"),
]


def _split(total, shares):
    """Split an integer total into integer parts by shares, summing exactly."""
    parts = [int(total * s) for s in shares[:-1]]
    return parts + [total - sum(parts)]


def _country_years(rng, spec, first, last):
    """Yield (year, {attribute_id: value}) for one demo country."""
    _, _, prod_base, arabica, robusta, cons_base, import_share = spec
    ending = int(prod_base * 0.15 + cons_base * 0.1)
    for year in range(first, last + 1):
        trend = 1 + 0.015 * (year - first)
        production = int(prod_base * trend * rng.uniform(0.85, 1.15))
        consumption = int(cons_base * trend * rng.uniform(0.95, 1.05))
        imports = int(consumption * import_share * rng.uniform(0.95, 1.15))
        beginning = ending
        supply = beginning + production + imports
        target_stocks = int(supply * rng.uniform(0.08, 0.2))
        exports = max(0, supply - consumption - target_stocks)
        ending = supply - consumption - exports
        v = {20: beginning, 28: production, 57: imports, 86: supply, 88: exports,
             125: consumption, 176: ending, 178: exports + consumption + ending}
        v[29], v[53], v[56] = _split(production, [arabica, robusta, 1 - arabica - robusta])
        v[58], v[75], v[82] = _split(imports, [0.85, 0.05, 0.10])
        v[90], v[107], v[114] = _split(exports, [0.9, 0.02, 0.08])
        v[141], v[154] = _split(consumption, [0.8, 0.2])
        yield year, v


def demo_csv(first=1990, last=2024, seed=7):
    """Return demo data as CSV text in the layout of USDA's psd_coffee.csv."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Commodity_Code", "Commodity_Description", "Country_Code", "Country_Name",
                     "Market_Year", "Calendar_Year", "Month", "Attribute_ID",
                     "Attribute_Description", "Unit_ID", "Unit_Description", "Value"])
    for spec in COUNTRIES:
        for year, values in _country_years(rng, spec, first, last):
            for attr_id, attr_name in ATTRS:
                writer.writerow([COFFEE, DEMO_COMMODITY, spec[0], spec[1], year, "", "",
                                 f"{attr_id:03d}", attr_name, "02", UNIT, f"{values[attr_id]:.4f}"])
    return out.getvalue()
