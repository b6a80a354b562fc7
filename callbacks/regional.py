"""Regions beside countries in the dashboards: the picker field and the names charts show."""
from dataclasses import replace

from callbacks import fields, frames
from data.reference import regions
from ui import figures, state

# Picker labels: which kind of region each name is.
KIND = {**dict.fromkeys(regions.CONTINENTS, "region"), **dict.fromkeys(regions.ICO_GROUPS, "ICO producer group")}


def offered(commodity):
    """Return the region names the commodity's declared groupings offer (ICO producer groups only for coffee)."""
    return tuple(name for name in KIND if name in regions.of(commodity.regions))


def options(commodity):
    """Return dropdown options of the regions a picker offers for the commodity (continents, then ICO groups)."""
    return [{"label": f"{name} ({KIND[name]})", "value": regions.code(name)} for name in offered(commodity)]


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
        codes = tuple(dict.fromkeys(self._place(v, ctx) for v in value))
        if not codes:
            raise state.BadInput("choose at least one country")
        return codes

    @staticmethod
    def _place(value, ctx):
        """Return the code of one country or of a region the commodity offers, else raise BadInput."""
        if not regions.is_region(value):
            return state.country(value, ctx.codes)
        if regions.name_of(value) not in offered(ctx.commodity):
            raise state.BadInput(f"{ctx.commodity.name.lower()} has no region {regions.name_of(value)}")
        return regions.code(regions.name_of(value))

    def init(self, ctx):
        return [ctx.options() + options(ctx.commodity)]


# Paul Tol's "light" scheme, apart from the countries' fixed colours: one colour per continent, each ICO
# group taking its continent's.
COLOURS = {
    regions.AFRICA: "#EE8866", regions.ASIA: "#44BB99", regions.EUROPE: "#77AADD",
    regions.NORTH_AMERICA: "#FFAABB", regions.CENTRAL_AMERICA: "#BBCC33", regions.SOUTH_AMERICA: "#AAAA00",
    regions.OCEANIA: "#EEDD88", regions.UNASSIGNED: "#BBBBBB", regions.ICO_AFRICA: "#EE8866",
    regions.ICO_ASIA: "#44BB99", regions.ICO_MEXICO: "#BBCC33", regions.ICO_SOUTH_AMERICA: "#AAAA00",
}


def colour(code):
    """Return the colour of a REGION:<name> code, else the country's own colour."""
    return COLOURS[regions.name_of(code)] if regions.is_region(code) else figures.colour(code)


def lines(frame, value, checked, ctx, title, empty, what, **options):
    """Return frames.country_lines for countries and regions: regions named and in their own colours."""
    return frames.country_lines(frame, value, checked, named(ctx), title, empty, what, colours=colour, **options)
