"""Check filter values from the browser or the URL against types and allow-lists."""
import re
from urllib.parse import urlencode

MAX_COUNTRIES = 12
MAX_TEXT = 400
CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")  # ISO3, EU, and reporters such as EU15
INTEGER = re.compile(r"^-?\d{1,6}$")
NUMBER = re.compile(r"^-?\d{1,6}(\.\d{1,6})?$")


class BadInput(ValueError):
    """A filter value failed its check; the message is safe to show."""


def _is_int(value):
    """Return True for a real int (bool excluded)."""
    return isinstance(value, int) and not isinstance(value, bool)


def integer(value, low, high, what="value"):
    """Return value as an int within [low, high], else raise BadInput."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and INTEGER.match(value.strip()):
        value = int(value.strip())
    if not _is_int(value):
        raise BadInput(f"{what} must be a whole number")
    if not low <= value <= high:
        raise BadInput(f"{what} must be between {low} and {high}")
    return value


def number(value, low, high, what="value"):
    """Return value as a float within [low, high], else raise BadInput."""
    if isinstance(value, str) and NUMBER.match(value.strip()):
        value = float(value.strip())
    if _is_int(value):
        value = float(value)
    if not isinstance(value, float) or value != value:
        raise BadInput(f"{what} must be a number")
    if not low <= value <= high:
        raise BadInput(f"{what} must be between {low:g} and {high:g}")
    return value


def choice(value, allowed, what="value"):
    """Return value if it is one of allowed, else raise BadInput."""
    if not isinstance(value, str) or value not in allowed:
        raise BadInput(f"unknown {what}")
    return value


def year(value, first, last, what="market year"):
    """Return a market year within the data's range."""
    return integer(value, first, last, what)


def year_range(value, first, last):
    """Return (start, end) from a two-item list of years, start <= end."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise BadInput("the year range must be two market years")
    start, end = (year(v, first, last) for v in value)
    if start > end:
        raise BadInput("the first market year must not be after the last")
    return start, end


def country(value, known):
    """Return one known country code."""
    if not isinstance(value, str) or not CODE.match(value) or value not in known:
        raise BadInput("unknown country")
    return value


def countries(value, known, limit=MAX_COUNTRIES):
    """Return a tuple of distinct known country codes, at most limit of them."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise BadInput("countries must be a list of country codes")
    if len(value) > limit:
        raise BadInput(f"choose at most {limit} countries")
    codes = tuple(dict.fromkeys(country(v, known) for v in value))
    if not codes:
        raise BadInput("choose at least one country")
    return codes


def split_list(value):
    """Return a URL list value ("A,B" or repeated keys) as a list of strings."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    items = []
    for part in value[:MAX_COUNTRIES + 1]:
        if isinstance(part, str):
            items.extend(p.strip().upper() for p in part[:MAX_TEXT].split(",") if p.strip())
    return items


def lenient(check, value, default, *args):
    """Return check(value, *args), or default when the value fails its check."""
    if value is None:
        return default
    try:
        return check(value, *args)
    except BadInput:
        return default


def search(params):
    """Return a URL query string for params, lists joined by commas."""
    flat = {k: ",".join(v) if isinstance(v, (list, tuple)) else v for k, v in params.items() if v is not None}
    return "?" + urlencode(flat, safe=",/")
