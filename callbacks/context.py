"""What a page shows: the commodity's data context (years, countries, releases) and a callback's checked values."""
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from data.commodities import UnknownCommodity
from data.commodities.site import site
from data.queries import metrics as queries
from data.queries import releases as release_queries
from data.serving import as_of
from data.serving.as_of import release_scope
from data.serving.reader import NoData, serving
from ui import state

COMMODITY, RELEASE = "commodity", "release"


@dataclass(frozen=True)
class Context:
    """What the data holds for one commodity: its declaration, country codes and names, first and last year."""

    commodity: object
    codes: frozenset
    names: dict
    first: int
    last: int

    @property
    def code(self):
        """Return the commodity's PSD code (what the queries take)."""
        return self.commodity.code

    def options(self):
        """Return dropdown options for every country, by name."""
        return [{"label": name, "value": code} for code, name in sorted(self.names.items(), key=lambda i: i[1])]


def default_commodity():
    """Return the slug of the site's first commodity: what a URL naming none means."""
    return site()[0].slug


def served(slug):
    """Return the served Commodity of a slug, or raise BadInput."""
    found = next((c for c in site() if c.slug == slug), None)
    if found is None:
        raise state.BadInput("unknown commodity")
    return found


def context(commodity=None):
    """Return the data context of a commodity slug (None: the default) as the release shown published it.

    Raises NoData when nothing of the commodity is loaded.
    """
    try:
        found = served(commodity or default_commodity())
    except state.BadInput as exc:
        raise UnknownCommodity(str(exc)) from None
    return _context_of(serving().version(), as_of.current(), found.slug)


# The context changes only with the serving file, so each version (and release) is read once
# per process and commodity, whether or not the query cache is on.
@lru_cache(maxsize=32)
def _context_of(version, release, slug):
    """Return the data context of one commodity in one serving file version as one release published it."""
    commodity = served(slug)
    frame = queries.countries.uncached(serving().connection(), commodity.code, release=release)
    first, last = queries.year_range.uncached(serving().connection(), commodity.code, release=release)
    if frame.empty or first is None:
        raise NoData(f"the serving file holds no {commodity.name.lower()} data")
    names = dict(zip(frame["country_code"], frame["country"]))
    return Context(commodity, frozenset(names), names, int(first), int(last))


def commodity_slug(ctx):
    """Return the commodity slug of a Context, a slug, or None (the default)."""
    if isinstance(ctx, Context):
        return ctx.commodity.slug
    return ctx or default_commodity()


def release_ids(commodity=None):
    """Return the ids of every loaded release of a commodity (a Context, slug or None), oldest first."""
    return _release_ids_of(serving().version(), served(commodity_slug(commodity)).code)


@lru_cache(maxsize=32)
def _release_ids_of(version, code):
    """Return the release ids of a commodity one serving file version holds (every chart request checks them)."""
    return tuple(release_queries.release_list.uncached(serving().connection(), code)["release_id"])


def commodity_of(fields, names, values):
    """Return the checked commodity slug among a callback's values (the default when absent), or raise BadInput."""
    if COMMODITY not in names:
        return default_commodity()
    return fields[COMMODITY].check(values[list(names).index(COMMODITY)], None)


def release_of(fields, names, values, commodity=None):
    """Return the checked release among a callback's values (None: latest), or raise BadInput."""
    if RELEASE not in names:
        return None
    return fields[RELEASE].check(values[list(names).index(RELEASE)], commodity)


@contextmanager
def reading(fields, names, values):
    """Yield (ctx, checked) of a callback's values: the commodity, then its release, then every field."""
    commodity = commodity_of(fields, names, values)
    with release_scope(release_of(fields, names, values, commodity)):
        ctx = context(commodity)
        yield ctx, {n: fields[n].check(v, ctx) for n, v in zip(names, values)}
