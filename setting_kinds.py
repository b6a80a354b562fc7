"""Kinds of setting: how an environment variable's text is read, each with a name for the docs (config.py)."""
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

FLAG_VALUES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class Kind:
    """How a setting's text is read: a name for the docs, a parser that raises ValueError on bad text."""

    name: str
    parse: object
    blank: bool = False  # True: an empty value means something (parsed); else it counts as unset
    hidden: bool = False  # True: the value holds secrets, so an error never shows it


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


PROVIDER_KEYS = ("name", "issuer", "client_id", "client_secret")
# A provider's name is part of its URLs (/auth/oidc/<name>/...); team-<id> names a team's own provider.
PROVIDER_NAME = re.compile(r"(?!team-)[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


def _providers(text):
    """Read a JSON list of OpenID providers {name, issuer, client_id, client_secret}; names unique."""
    try:
        found = json.loads(text)
    except ValueError:
        raise ValueError("not JSON") from None
    if not isinstance(found, list):
        raise ValueError("not a JSON list")
    names = set()
    for number, entry in enumerate(found, 1):
        if not isinstance(entry, dict) or set(entry) != set(PROVIDER_KEYS) or \
                not all(isinstance(entry[key], str) and entry[key].strip() for key in PROVIDER_KEYS):
            raise ValueError(f"entry {number} needs exactly {', '.join(PROVIDER_KEYS)}, each a non-empty string")
        if not PROVIDER_NAME.fullmatch(entry["name"]) or entry["name"].lower() in names:
            raise ValueError(f"entry {number}: the name must be unique, 1-40 letters, digits, - or _, "
                             "and not start with team-")
        issuer = urlsplit(entry["issuer"])
        if issuer.scheme not in ("https", "http") or not issuer.hostname or issuer.query or issuer.fragment:
            raise ValueError(f"entry {number}: the issuer must be an https URL (http only on loopback)")
        if issuer.scheme == "http" and issuer.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError(f"entry {number}: the issuer must be an https URL (http only on loopback)")
        names.add(entry["name"].lower())
    return [{key: entry[key].strip() for key in PROVIDER_KEYS} for entry in found]


TEXT = Kind("text", str)
SECRET = Kind("secret", str)
URL = Kind("URL", str)
FLAG = Kind("flag", _flag)
NAMES = Kind("names, comma-separated", _names)
SECONDS_LIST = Kind("seconds, comma-separated", _seconds_list)
RATE_LIMITS = Kind("rate limits", _rate_limits)
FRACTION = Kind("number > 0", _number)
OIDC_PROVIDERS = Kind("JSON list of {name, issuer, client_id, client_secret}", _providers, hidden=True)
ACCESS_LOG = Kind("path, - or empty", _access_log, blank=True)
PORT_NUMBER = integer(1, 65535)
COUNT = integer(0)
POSITIVE = integer(1)


def settings_table(settings):
    """Return docs/operations.md's table of every setting."""
    rows = ["| variable | type | default | meaning |", "| --- | --- | --- | --- |"]
    for s in settings:
        key = "" if s.key == s.env else f" (`{s.key}`)"
        rows.append(f"| `{s.env}`{key} | {s.kind.name} | {s.default_text().replace('|', '&#124;')} | {s.meaning} |")
    return "\n".join(rows)
