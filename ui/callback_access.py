"""What a Dash request needs: a callback body by the callback it names, a page URL by the page it shows."""
from flask import current_app, request

from auth import gate
from auth.access import ADMIN, PUBLIC, RANK
from ui import dash_internals

# Where pages record the level each of their server callbacks needs (see callbacks.page.Page.register).
CALLBACK_ACCESS = "callback_access"
DASH_APP = "beanflows_dash"  # app.extensions key: the Dash app mounted on the server
CALLBACK_SHAPES = "callback_shapes"  # app.extensions key: {callback key: what it declares}
MAX_DEPTH = 32


def dash_app():
    """Return the Dash app mounted on the current Flask server."""
    return current_app.extensions[DASH_APP]


def page_access(pathname):
    """Return the access level of the Dash page at pathname (the 404 page is public); raise Malformed."""
    # Dash strips its prefix from the path it is given: anything not rooted at "/" is not a page URL.
    if not isinstance(pathname, str) or not pathname.startswith("/"):
        raise gate.Malformed
    page, _ = dash_internals.page_at(dash_app(), pathname)
    if not page:
        return PUBLIC
    return page.get("access", ADMIN)


def _matches(items, declared):
    """Return True when items are the declared (id, property) pairs, in order, each a dict with a value key."""
    if not isinstance(items, list) or len(items) != len(declared):
        return False
    return all(isinstance(item, dict) and item.get("id") == component and item.get("property") == prop
               for item, (component, prop) in zip(items, declared))


def _outputs_match(outputs, declared, multi):
    """Return True when a body's outputs are the callback's declared outputs (a list for multi-output keys)."""
    if not multi:
        outputs = [outputs]
    return isinstance(outputs, list) and len(outputs) == len(declared) and all(
        isinstance(o, dict) and o.get("id") == component and str(o.get("property")).split("@")[0] == prop
        for o, (component, prop) in zip(outputs, declared))


def _depth_ok(value, limit=MAX_DEPTH):
    """Return True when value nests no deeper than limit (lists and dicts)."""
    # Only containers go on the stack (a body is mostly strings and numbers): one at the limit may hold nothing.
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit or (depth == limit and item):
            return False
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return True


def _shape(key):
    """Return (Dash's entry, declared inputs, state, outputs) of a callback key, or None; built once per key."""
    # What a callback declares is fixed once Dash is set up: only the body is judged on each request.
    shapes = current_app.extensions.setdefault(CALLBACK_SHAPES, {})
    found = shapes.get(key)
    if found is None:
        entry = dash_internals.callback_entry(dash_app(), key)
        if entry is None or entry.get("callback") is None:  # unknown, or run in the browser only
            return None
        declared = entry.get("output")
        declared = declared if isinstance(declared, (list, tuple)) else [declared]
        found = (entry, *([(spec.get("id"), spec.get("property")) for spec in entry.get(part) or []]
                          for part in ("inputs", "state")),
                 [(o.component_id, o.component_property.split("@")[0]) for o in declared])
        shapes[key] = found
    return found


def _checked_entry(body):
    """Return Dash's entry for a callback body whose outputs, inputs and state match it; raise Denied or Malformed."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str) or not _depth_ok(body):
        raise gate.Malformed
    key = body["output"]
    shape = _shape(key)
    if shape is None:
        raise gate.Denied
    entry, inputs, state, outputs = shape
    # Dash hands inputs and state to the function by position: judge those positions.
    if not _matches(body.get("inputs"), inputs) or not _matches(body.get("state", []), state) or \
            not _outputs_match(body.get("outputs"), outputs, key.startswith("..")):
        raise gate.Malformed
    return entry


def callback_access(body):
    """Return the level a /_dash-update-component body needs; raise Denied or Malformed."""
    entry = _checked_entry(body)
    key = body["output"]
    if dash_internals.is_router(key):
        return page_access(body["inputs"][dash_internals.router_pathname_position(entry)].get("value"))
    required = current_app.extensions.get(CALLBACK_ACCESS, {}).get(key)
    if required not in RANK:
        raise gate.Denied
    return required


def request_callback_access():
    """Return the level this request's callback body needs, judged on every request; raise Denied or Malformed."""
    try:
        # Strict JSON (web/strict_json.py): NaN, Infinity or a bad byte make this None, a 400.
        body = request.get_json(silent=True)
    except RecursionError:
        raise gate.Malformed from None
    return callback_access(body)


def check_declared(app):
    """Raise RuntimeError naming any server callback of the Dash app registered without an access level."""
    declared = app.server.extensions.get(CALLBACK_ACCESS, {})
    missing = sorted(key for key in dash_internals.server_callbacks(app)
                     if declared.get(key) not in RANK and not dash_internals.is_router(key))
    if missing:
        raise RuntimeError(f"server callbacks without a declared access level: {', '.join(missing)}")


def init_app(server, app):
    """Let the gate judge Dash's callback and page routes with these rules."""
    server.extensions[DASH_APP] = app
    gate.judge_dash(server, callback=request_callback_access, page=lambda: page_access(request.path))
