"""What GET /api/v1/commodities says of each commodity the site serves: units, metrics and releases."""
from data.commodities.model import DERIVED_LABELS
from data.commodities.site import site
from data.queries import releases as release_queries
from data.serving.reader import NoData

PERCENT = "(PERCENT)"


def metrics(commodity):
    """Return the commodity's metrics, stored then derived, each with its label, kind and unit."""
    found = [{"metric": a.metric, "label": a.label, "kind": a.kind, "unit": a.unit, "usda": a.usda}
             for a in commodity.attributes]
    derived = {"net_exports": ("volume", commodity.volume_unit), "stocks_to_use_pct": ("ratio", PERCENT)}
    return found + [{"metric": m, "label": DERIVED_LABELS[m], "kind": kind, "unit": unit, "usda": None}
                    for m, (kind, unit) in derived.items()]


def releases(commodity):
    """Return the commodity's release ids, oldest first (none before its first load)."""
    try:
        return [str(r) for r in release_queries.release_list(commodity.code)["release_id"]]
    except NoData:
        return []


def described():
    """Return every served commodity as the API shows it, in order (the first is the default)."""
    return [describe(c, i == 0) for i, c in enumerate(site())]


def describe(commodity, default):
    """Return one commodity as the API shows it."""
    return {
        "slug": commodity.slug, "code": commodity.code, "name": commodity.name, "default": default,
        "volume_unit": commodity.volume_unit,
        "units": [{"key": u.key, "label": u.label, "factor": u.factor, "default": u.key == commodity.default_unit}
                  for u in commodity.units],
        "metrics": metrics(commodity),
        "release_cadence": commodity.release.cadence, "releases": releases(commodity),
    }
