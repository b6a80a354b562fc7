"""Generate labelled demo data in USDA's live bulk layout: for each commodity whose declaration has a [demo]
section, a sequence of releases, each revising the one before.

A commodity's releases come every 12 / per_year months from its demo.first_release (coffee: June and December;
wheat: monthly). The release in its demo.new_year_month adds the new market year; every release revises the
last two market years of a handful of countries (production, stocks and so trade), and release 1 reports a
country for the first time. Each release is a whole balance sheet in which every identity holds.
"""
import csv
import io
import random

from data.reference.countries import PSD_COUNTRIES

FIRST_YEAR = 1990
# How many releases `ingest --demo` loads into an empty store; each later run loads the next one.
INITIAL_RELEASES = 3
# Ends the source of demo releases loaded because the real file could not be fetched (`ingest --fallback-demo`),
# so the banner says what happened: a deliberate `ingest --demo` has none.
FELL_BACK = "; loaded because this could not be fetched: "
HEADER = ["Commodity_Code", "Commodity_Description", "Country_Code", "Country_Name", "Market_Year",
          "Calendar_Year", "Month", "Attribute_ID", "Attribute_Description", "Unit_ID", "Unit_Description", "Value"]
# USDA's Unit_ID of each unit description, as its bulk files number them.
UNIT_IDS = {"(1000 60 KG BAGS)": "02", "(1000 MT)": "08", "(1000 HA)": "04", "(MT/HA)": "26"}
PSD_CODE = {iso3: (code, name) for code, (iso3, name) in sorted(PSD_COUNTRIES.items(), reverse=True)}


def _step(commodity):
    """Return the months between two demo releases of commodity."""
    return 12 // commodity.release.per_year


def release_month(commodity, index):
    """Return (year, month) of commodity's demo release index."""
    year, month = (int(part) for part in commodity.demo["first_release"].split("-"))
    months = year * 12 + month - 1 + index * _step(commodity)
    return months // 12, months % 12 + 1


def release_id(commodity, index):
    """Return the YYYY-MM id of commodity's demo release index."""
    return "%04d-%02d" % release_month(commodity, index)


def release_index(commodity, release):
    """Return the index of a demo release id of commodity, or None when the id is not one of its sequence."""
    year, month = (int(part) for part in release.split("-"))
    first_year, first_month = (int(part) for part in commodity.demo["first_release"].split("-"))
    months = (year * 12 + month) - (first_year * 12 + first_month)
    return months // _step(commodity) if months >= 0 and months % _step(commodity) == 0 else None


def last_year(commodity, index):
    """Return the last market year demo release index reports (the new-year month adds the year then)."""
    year, month = release_month(commodity, index)
    return year if month >= commodity.demo["new_year_month"] else year - 1


def next_releases(catalog, loaded):
    """Return [(commodity, index)] of the demo releases to load next after the loaded ones (by commodity)."""
    steps = []
    for commodity in catalog:
        if not commodity.demo:
            continue
        indexes = [release_index(commodity, r["release_id"]) for r in loaded
                   if r["commodity_code"] == commodity.code and r["source_kind"] == "demo"]
        indexes = [index for index in indexes if index is not None]
        steps += [(commodity, i) for i in ([max(indexes) + 1] if indexes else range(INITIAL_RELEASES))]
    return sorted(steps, key=lambda step: (step[1], step[0].order))


def _split(total, shares, parts):
    """Split an integer total into integer parts by shares (the last part takes the rest), summing exactly."""
    found = [int(total * s) for s in shares[:parts - 1]]
    return found + [total - sum(found)]


def _revisions(commodity, index):
    """Return {(iso3, market year): (production factor, stock factor)}: what releases 1..index revised."""
    spec, factors = commodity.demo, {}
    always = tuple(spec.get("always_revised", ()))
    for release in range(1, index + 1):
        rng = random.Random(f"{spec['seed']}-release-{release}")
        reported = [c["iso3"] for c in spec["countries"] if c["first_release"] <= release - 1 and c["iso3"] not in always]
        for iso3 in (*always, *rng.sample(sorted(reported), spec.get("others_revised", 3))):
            for year in (last_year(commodity, release) - 1, last_year(commodity, release)):
                production = 1 + rng.choice((-1, 1)) * rng.uniform(0.02, 0.06)
                stocks = 1 + rng.choice((-1, 1)) * rng.uniform(0.05, 0.2)
                old = factors.get((iso3, year), (1.0, 1.0))
                factors[(iso3, year)] = (old[0] * production, old[1] * stocks)
    return factors


def _country_years(commodity, country, index, revised):
    """Yield (year, {metric: value}) of one country as release index publishes it."""
    spec, iso3 = commodity.demo, country["iso3"]
    prod_base, cons_base = country["production"], country["consumption"]
    ending = int(prod_base * 0.15 + cons_base * 0.1)
    for year in range(FIRST_YEAR, last_year(commodity, index) + 1):
        rng = random.Random(f"{spec['seed']}-{iso3}-{year}")
        production_factor, stock_factor = revised.get((iso3, year), (1.0, 1.0))
        trend = 1 + 0.015 * (year - FIRST_YEAR)
        production = int(prod_base * trend * rng.uniform(0.85, 1.15) * production_factor)
        consumption = int(cons_base * trend * rng.uniform(0.95, 1.05))
        imports = int(consumption * country["import_share"] * rng.uniform(0.95, 1.15))
        beginning = ending
        supply = beginning + production + imports
        target_stocks = int(supply * min(0.3, rng.uniform(0.08, 0.2) * stock_factor))
        exports = max(0, supply - consumption - target_stocks)
        ending = supply - consumption - exports
        v = {"beginning_stocks": beginning, "production": production, "imports": imports, "total_supply": supply,
             "exports": exports, "domestic_consumption": consumption, "ending_stocks": ending,
             "total_distribution": exports + consumption + ending}
        _details(spec, country, v)
        yield year, v


def _details(spec, country, v):
    """Fill the detail metrics of one country-year from its totals: splits, copies, fractions, area and yield."""
    if spec.get("production_parts"):
        parts = spec["production_parts"]
        v.update(zip(parts, _split(v["production"], country["production_shares"], len(parts))))
    for split in spec.get("splits", []):
        v.update(zip(split["parts"], _split(v[split["total"]], split["shares"], len(split["parts"]))))
    for copy in spec.get("copies", []):
        v[copy["metric"]] = v[copy["of"]]
    for fraction in spec.get("fractions", []):
        v[fraction["metric"]] = int(v[fraction["of"]] * fraction["share"])
    if spec.get("area"):
        area = round(v["production"] / country["yield"]) if v["production"] else 0
        v[spec["area"]["area"]] = area
        v[spec["area"]["yield"]] = round(v["production"] / area, 2) if area else 0.0


def demo_csv(commodity, index=0):
    """Return commodity's demo release index as CSV text in USDA's live layout (two-letter codes, quoted)."""
    year, month = release_month(commodity, index)
    revised = _revisions(commodity, index)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER)
    for country in commodity.demo["countries"]:
        if country["first_release"] > index:
            continue
        code, name = PSD_CODE[country["iso3"]]
        for market_year, values in _country_years(commodity, country, index, revised):
            for attribute in sorted(commodity.attributes, key=lambda a: a.id):
                writer.writerow([commodity.code, commodity.demo["description"], code, name, market_year, year,
                                 f"{month:02d}", f"{attribute.id:03d}", attribute.usda, UNIT_IDS[attribute.unit],
                                 attribute.unit, f"{values[attribute.metric]:.4f}"])
    return out.getvalue()
