"""Typed access to a declaration's fields: every problem names the commodity, its file and the field."""
import calendar
import re
from pathlib import Path

from data.commodities import model
from data.reference.documents import SOURCES

GROUPINGS = ("continents", "ico")
MONTHS = tuple(calendar.month_name[1:])
KINDS = (model.VOLUME, "area", "yield", "rate")
SLUG = re.compile(r"^[a-z][a-z0-9-]{1,30}$")
PSD_CODE = re.compile(r"^\d{7}$")
# How far a country-year may miss an identity (in units: PSD publishes whole thousands), and the share of a
# commodity's country-years allowed to miss it: USDA's own files miss one in 426 at most (docs/data.md).
TOLERANCE, MAX_SHARE = 1.0, 0.005
TOP_KEYS = {"slug", "name", "order", "attributes", "regions", "psd", "release", "units", "stocks_to_use",
            "identities", "marketing_year", "trade_year", "facts", "charts", "prices", "demo", "attribute_overrides"}
TRADE_YEAR_ATTRIBUTES = {81, 84, 113}


class DeclarationError(Exception):
    """A commodity declaration that is incomplete or inconsistent: start-up stops naming it and the field."""


class UnknownCommodity(LookupError, ValueError):
    """A slug or PSD code no declaration holds (a ValueError too: a bad parameter)."""


class Reader:
    """Typed access to one declaration's fields, raising DeclarationError naming the file and the field."""

    def __init__(self, path, data):
        self.path, self.data = Path(path), data
        self.name = data.get("slug") if isinstance(data.get("slug"), str) else self.path.stem

    def fail(self, field, problem):
        """Raise DeclarationError for field."""
        raise DeclarationError(f"commodity {self.name!r} ({self.path.name}): field {field!r}: {problem}")

    def get(self, field, kind, required=True, default=None, where=None):
        """Return the value at a dotted field path, checked to be of kind."""
        node = self.data if where is None else where
        for part in field.split(".")[-1:] if where is not None else field.split("."):
            if not isinstance(node, dict) or part not in node:
                if required:
                    self.fail(field, "missing")
                return default
            node = node[part]
        if kind is float and isinstance(node, int) and not isinstance(node, bool):
            node = float(node)
        if not isinstance(node, kind) or (kind is int and isinstance(node, bool)):
            self.fail(field, f"expected {getattr(kind, '__name__', kind)}, found {node!r}")
        if isinstance(node, str) and not node.strip():
            self.fail(field, "empty")
        return node

    def source(self, field, key, required=True):
        """Return a cited document key, checked to name a known document."""
        if key is None and not required:
            return None
        if key not in SOURCES:
            self.fail(field, f"cites {key!r}, which data/reference/documents.py does not hold")
        return key

    def month(self, field, value):
        """Return a month name, checked."""
        if value not in MONTHS:
            self.fail(field, f"{value!r} is not a month name")
        return value
