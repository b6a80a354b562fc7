"""Read the sections of a commodity declaration (units, identities, years, charts, prices, demo) with its Reader."""
from data.commodities import model
from data.commodities.reader import MAX_SHARE, TOLERANCE


def _tables(r, field):
    """Return the list of tables at field (an empty list when absent)."""
    items = r.get(field, list, required=False, default=[])
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            r.fail(f"{field}[{number}]", "expected a table")
    return items


def _factor(r, field, item):
    """Return a conversion factor of a table, checked to be a positive number."""
    factor = r.get(f"{field}.factor", float, where=item)
    if factor <= 0:
        r.fail(f"{field}.factor", "must be positive")
    return factor


def release(r):
    """Return the Release: cadence, releases a year (dividing 12), text and source."""
    per_year = r.get("release.per_year", int)
    if per_year < 1 or 12 % per_year:
        r.fail("release.per_year", f"{per_year} does not divide a year into whole months")
    return model.Release(r.get("release.cadence", str), per_year, r.get("release.text", str),
                         r.source("release.source", r.get("release.source", str)))


def units(r):
    """Return the UnitChoices; one has factor 1 (the volume unit itself), every other one is sourced."""
    found = []
    for number, item in enumerate(_tables(r, "units.choices")):
        field = f"units.choices[{number}]"
        factor = _factor(r, field, item)
        source = r.source(f"{field}.source", item.get("source"), required=factor != 1.0)
        found.append(model.UnitChoice(r.get(f"{field}.key", str, where=item), r.get(f"{field}.label", str, where=item),
                                      factor, item.get("text", ""), source))
    if not any(u.factor == 1.0 for u in found):
        r.fail("units.choices", "no choice is the volume unit itself (factor 1)")
    if r.get("units.default", str) not in {u.key for u in found}:
        r.fail("units.default", "is not the key of a unit choice")
    return tuple(found)


def stocks_to_use(r, metric):
    """Return the StocksToUse rule."""
    field = "stocks_to_use"
    uses = [tuple(metric(f"{field}.{k}", m) for m in r.get(f"{field}.{k}", list)) for k in ("country_use", "world_use")]
    if not all(uses):
        r.fail(field, "country_use and world_use name at least one metric each")
    return model.StocksToUse(metric(f"{field}.numerator", r.get(f"{field}.numerator", str)), *uses,
                             r.get(f"{field}.text", str), r.source(f"{field}.source", r.get(f"{field}.source", str)))


def identities(r, metric):
    """Return the balance-sheet Identities checked at ingest."""
    found = []
    for number, item in enumerate(_tables(r, "identities")):
        field = f"identities[{number}]"
        parts = tuple(metric(f"{field}.parts", m) for m in r.get(f"{field}.parts", list, where=item))
        if not parts:
            r.fail(f"{field}.parts", "empty")
        found.append(model.Identity(
            r.get(f"{field}.name", str, where=item), metric(f"{field}.total", r.get(f"{field}.total", str, where=item)),
            parts, r.get(f"{field}.tolerance", float, required=False, default=TOLERANCE, where=item),
            r.get(f"{field}.max_share", float, required=False, default=MAX_SHARE, where=item),
            r.source(f"{field}.source", item.get("source"), required=False)))
    return tuple(found)


def marketing_year(r):
    """Return the MarketingYear with the recorded countries'."""
    countries = []
    for number, item in enumerate(_tables(r, "marketing_year.countries")):
        field = f"marketing_year.countries[{number}]"
        countries.append(model.CountryYear(
            r.get(f"{field}.iso3", str, where=item), r.month(f"{field}.start", item.get("start")),
            r.month(f"{field}.end", item.get("end")), r.source(f"{field}.source", item.get("source"), required=False)))
    return model.MarketingYear(r.get("marketing_year.text", str),
                               r.source("marketing_year.source", r.get("marketing_year.source", str)), tuple(countries))


def trade_year(r):
    """Return the TradeYear, or None when the commodity declares none."""
    if "trade_year" not in r.data:
        return None
    return model.TradeYear(r.month("trade_year.start", r.get("trade_year.start", str)),
                           r.month("trade_year.end", r.get("trade_year.end", str)), r.get("trade_year.text", str),
                           r.source("trade_year.source", r.get("trade_year.source", str)))


def facts(r):
    """Return the methodology Facts, each sourced."""
    return tuple(model.Fact(r.get(f"facts[{n}].text", str, where=item),
                            r.source(f"facts[{n}].source", r.get(f"facts[{n}].source", str, where=item)))
                 for n, item in enumerate(_tables(r, "facts")))


def charts(r, metric):
    """Return the Charts: each list of metrics, and the trade flows."""
    series = {}
    for key, value in r.get("charts", dict).items():
        if key == "trade":
            continue
        if not isinstance(value, list) or not value:
            r.fail(f"charts.{key}", "expected a list of metrics")
        series[key] = tuple(metric(f"charts.{key}", m) for m in value)
    for required in ("kpis", "balance", "country", "production"):
        if required not in series:
            r.fail(f"charts.{required}", "missing")
    flows = []
    for number, item in enumerate(_tables(r, "charts.trade")):
        field = f"charts.trade[{number}]"
        flows.append(model.TradeFlow(r.get(f"{field}.key", str, where=item), r.get(f"{field}.label", str, where=item),
                                     *(metric(f"{field}.{k}", item.get(k)) for k in ("exports", "imports", "use"))))
    if not flows:
        r.fail("charts.trade", "missing")
    return model.Charts(series, tuple(flows))


def prices(r):
    """Return the Pink Sheet PriceSeries (none: the commodity shows no prices)."""
    found = []
    for number, item in enumerate(_tables(r, "prices")):
        field = f"prices[{number}]"
        factor = _factor(r, field, item)
        found.append(model.PriceSeries(
            r.get(f"{field}.slug", str, where=item), r.get(f"{field}.name", str, where=item),
            r.get(f"{field}.series", str, where=item), item.get("code"), r.get(f"{field}.file_unit", str, where=item),
            r.get(f"{field}.display_unit", str, where=item), factor,
            r.source(f"{field}.source", r.get(f"{field}.source", str, where=item)), item.get("text", ""),
            r.get(f"{field}.description", str, where=item, required=False, default="")))
    if len({p.slug for p in found}) != len(found):
        r.fail("prices", "two series share a slug")
    return tuple(found)


def demo(r, metric):
    """Return the demo generator's parameters (None: no demo data for this commodity), their metrics checked."""
    spec = r.get("demo", dict, required=False)
    if spec is None:
        return None
    for name in ("description", "first_release", "seed"):
        r.get(f"demo.{name}", str)
    r.get("demo.new_year_month", int)
    for number, split in enumerate(spec.get("splits", [])):
        for name in [split.get("total"), *split.get("parts", [])]:
            metric(f"demo.splits[{number}]", name)
    for name in spec.get("production_parts", []):
        metric("demo.production_parts", name)
    for item in spec.get("copies", []) + spec.get("fractions", []):
        metric("demo.copies", item.get("metric"))
        metric("demo.copies", item.get("of"))
    if not _tables(r, "demo.countries"):
        r.fail("demo.countries", "missing")
    return spec
