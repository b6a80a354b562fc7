"""The commodities this site serves (SITE_COMMODITIES, in order: the first is the default) and its brand (SITE_NAME)."""
from flask import current_app, has_app_context

from data.commodities import UnknownCommodity, current, for_config

SETTING, NAME = "SITE_COMMODITIES", "SITE_NAME"
DEFAULT_NAME = "beanflows"


def served(catalog, slugs):
    """Return the commodities of catalog that slugs name, in their order (None or empty: every declared one)."""
    if not slugs:
        return tuple(catalog)
    if isinstance(slugs, str):
        slugs = [part for part in slugs.split(",") if part.strip()]
    found = []
    for slug in slugs:
        commodity = catalog.get(slug)
        if commodity.slug != str(slug).strip().lower():
            raise UnknownCommodity(f"{SETTING} names {commodity.code!r}: name each commodity by its slug "
                                   f"({commodity.slug!r})")
        if commodity not in found:
            found.append(commodity)
    return tuple(found)


def check(config):
    """Return the served commodities of a config; raise UnknownCommodity naming a slug no declaration holds."""
    try:
        return served(for_config(config), config.get(SETTING))
    except UnknownCommodity as exc:
        raise UnknownCommodity(f"{SETTING}: {exc}") from None


def _config():
    """Return the running app's config, or an empty one outside an app."""
    return current_app.config if has_app_context() else {}


def site():
    """Return the commodities this site serves, in order (the first is the default)."""
    return served(current(), _config().get(SETTING))


def default():
    """Return the site's default commodity: what a request naming none means."""
    return site()[0]


def served_commodity(key=None):
    """Return the served commodity of a slug or PSD code (None: the default); UnknownCommodity otherwise."""
    if key is None or str(key).strip() == "":
        return default()
    commodities = site()
    wanted = str(key).strip().lower()
    found = next((c for c in commodities if wanted in (c.slug, c.code)), None)
    if found is None:
        raise UnknownCommodity(f"unknown commodity {str(key)[:40]!r}; this site serves: "
                               f"{', '.join(c.slug for c in commodities)}")
    return found


def slugs():
    """Return the slugs of the served commodities, in order."""
    return tuple(c.slug for c in site())


def brand():
    """Return the site's brand."""
    return _config().get(NAME) or DEFAULT_NAME


def phrase():
    """Return the served commodities' names as a phrase ("Coffee", "Wheat and Corn", "Wheat, Corn and Rice")."""
    found = [c.name for c in site()]
    return found[0] if len(found) == 1 else f"{', '.join(found[:-1])} and {found[-1]}"
