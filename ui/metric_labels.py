"""Bounded metric labels for Dash requests: a page by its declared path, a callback by its first output's id."""
from flask import request

import registry
from ui import dash_internals

UNMATCHED = "unmatched"


def page_label():
    """Return the declared path of the Dash page this request shows, or 'unmatched' for none."""
    page, _ = dash_internals.page_at(registry.current().dash, request.path)
    return (page.get("path_template") or page.get("path")) if page else UNMATCHED


def callback_label():
    """Return the first output's component id of a known Dash callback request, else 'unknown'."""
    try:
        body = request.get_json(silent=True)  # parsed once per request: the gate read it first
    except RecursionError:  # nested too deep to parse: the gate answered 400
        return "unknown"
    key = body.get("output") if isinstance(body, dict) else None
    if not isinstance(key, str) or dash_internals.callback_entry(registry.current().dash, key) is None:
        return "unknown"  # only declared callbacks become labels: their number is bounded
    first = key[2:-2].split("...")[0] if key.startswith("..") else key
    return first.rsplit(".", 1)[0]
