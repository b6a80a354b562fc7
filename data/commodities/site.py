"""The commodities this site serves, in order: the first is what a URL naming none means."""
from data.commodities import current


def site():
    """Return the served commodities in order (the first is the site's default)."""
    return tuple(current())
