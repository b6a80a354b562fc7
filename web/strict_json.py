"""Read request bodies as standard JSON only: NaN, Infinity and -Infinity are malformed, not numbers."""
import json
import math

from flask.json.provider import DefaultJSONProvider


def _refuse(constant):
    """Refuse a non-standard JSON constant (Python's json module reads NaN and Infinity by default)."""
    raise ValueError(f"{constant} is not JSON")


def _finite(text):
    """Return a JSON number as a float, refusing one too large for a float (1e400 would read as infinity)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing what RFC 8259 does not allow; request.get_json() then answers 400 (None if silent)."""

    def loads(self, s, **kwargs):
        """Parse s, refusing NaN and +/-Infinity, spelled out or by overflow."""
        kwargs.setdefault("parse_constant", _refuse)
        kwargs.setdefault("parse_float", _finite)
        return json.loads(s, **kwargs)


def init_app(app):
    """Parse every JSON body of app strictly."""
    app.json = StrictJSONProvider(app)
