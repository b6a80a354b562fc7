"""Regions beside countries in the dashboards: the picker field and the names charts show."""
from dataclasses import replace

from callbacks import fields
from data import regions
from ui import state

# Picker labels: which kind of region each name is.
KIND = {**dict.fromkeys(regions.CONTINENTS, "region"), **dict.fromkeys(regions.ICO_GROUPS, "ICO producer group")}


def options():
    """Return dropdown options of the regions a picker offers (continents, then ICO producer groups)."""
    return [{"label": f"{name} ({KIND[name]})", "value": regions.code(name)} for name in KIND]


def named(ctx):
    """Return the data context with region codes named too, for notes on missing data."""
    return replace(ctx, names={**ctx.names, **{regions.code(n): n for n in regions.REGIONS}})


class Places(fields.Countries):
    """Multi-select of countries and regions (REGION:<name>, any case in the URL)."""

    def check(self, value, ctx):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise state.BadInput("countries must be a list of country codes")
        if len(value) > state.MAX_COUNTRIES:
            raise state.BadInput(f"choose at most {state.MAX_COUNTRIES} countries or regions")
        codes = tuple(dict.fromkeys(
            regions.code(regions.name_of(v)) if regions.is_region(v) else state.country(v, ctx.codes)
            for v in value))
        if not codes:
            raise state.BadInput("choose at least one country")
        return codes

    def init(self, ctx):
        return [ctx.options() + options()]


# Okabe-Ito, one colour per continent; each ICO group takes its continent's.
COLOURS = {
    regions.AFRICA: "#E69F00", regions.ASIA: "#009E73", regions.EUROPE: "#0072B2",
    regions.NORTH_AMERICA: "#CC79A7", regions.CENTRAL_AMERICA: "#D55E00", regions.SOUTH_AMERICA: "#56B4E9",
    regions.OCEANIA: "#000000", regions.UNASSIGNED: "#999999", regions.ICO_AFRICA: "#E69F00",
    regions.ICO_ASIA: "#009E73", regions.ICO_MEXICO: "#D55E00", regions.ICO_SOUTH_AMERICA: "#56B4E9",
}


def colour(code):
    """Return the colour of a REGION:<name> code."""
    return COLOURS.get(regions.name_of(code), "#999999")
