"""Kinds of setting: how an environment variable's text is read, each with a name for the docs (config.py)."""
from dataclasses import dataclass

FLAG_VALUES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class Kind:
    """How a setting's text is read: a name for the docs, a parser that raises ValueError on bad text."""

    name: str
    parse: object
    blank: bool = False  # True: an empty value means something (parsed); else it counts as unset


def integer(low, high=None):
    """Return the kind of a whole number from low to high."""
    def parse(text):
        number = int(text)
        if number < low or (high is not None and number > high):
            raise ValueError(f"out of range {low}..{high if high is not None else ''}")
        return number
    return Kind(f"integer >= {low}" if high is None else f"integer {low}..{high}", parse)


def _number(text):
    """Read a finite number above 0."""
    value = float(text)
    if not 0 < value < float("inf"):
        raise ValueError("not a number above 0")
    return value


def _flag(text):
    """Read 1/0, true/false, yes/no, on/off."""
    try:
        return FLAG_VALUES[text.lower()]
    except KeyError:
        raise ValueError("not one of 1, 0, true, false, yes, no, on, off") from None


def _names(text):
    """Read comma-separated names; None when there are none."""
    return [name.strip() for name in text.split(",") if name.strip()] or None


def _seconds_list(text):
    """Read comma-separated whole seconds."""
    values = [int(part) for part in text.split(",")]
    if any(value < 0 for value in values):
        raise ValueError("negative seconds")
    return values


def _rate_limits(text):
    """Read Flask-Limiter's notation, e.g. '5 per minute;20 per hour'."""
    from limits import parse_many

    parse_many(text)
    return text


def _access_log(text):
    """Read a path, '-' for stdout; empty for no access log."""
    return text or None


TEXT = Kind("text", str)
SECRET = Kind("secret", str)
URL = Kind("URL", str)
FLAG = Kind("flag", _flag)
NAMES = Kind("names, comma-separated", _names)
SECONDS_LIST = Kind("seconds, comma-separated", _seconds_list)
RATE_LIMITS = Kind("rate limits", _rate_limits)
FRACTION = Kind("number > 0", _number)
ACCESS_LOG = Kind("path, - or empty", _access_log, blank=True)
PORT_NUMBER = integer(1, 65535)
COUNT = integer(0)
POSITIVE = integer(1)
