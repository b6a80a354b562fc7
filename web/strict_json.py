"""Read request bodies as standard JSON only: NaN, Infinity and -Infinity are malformed, not numbers."""
import json

from flask.json.provider import DefaultJSONProvider


def _refuse(constant):
    """Refuse a non-standard JSON constant (Python's json module reads NaN and Infinity by default)."""
    raise ValueError(f"{constant} is not JSON")


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing what RFC 8259 does not allow; request.get_json() then answers 400 (None if silent)."""

    def loads(self, s, **kwargs):
        """Parse s, refusing NaN and +/-Infinity."""
        kwargs.setdefault("parse_constant", _refuse)
        return json.loads(s, **kwargs)


def init_app(app):
    """Parse every JSON body of app strictly."""
    app.json = StrictJSONProvider(app)
