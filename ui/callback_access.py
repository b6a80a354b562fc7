"""Read a Dash request for the access policy: the callback a body names (its shape checked), the page a path shows.

Only reading: which level each callback and page needs is the policy's (auth/access.py), which mount() gives
this reader at start (access.read_dash).
"""
from auth.access import CALLBACK, PAGE, Denied, Malformed
from ui import dash_internals

MAX_DEPTH = 32


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


class DashRequests:
    """What the Dash requests of one app name: read for the policy on every request, nothing kept about the asker."""

    def __init__(self, dash_app):
        self.dash_app = dash_app
        # What a callback declares is fixed once Dash is set up: only the body is judged on each request.
        self._shapes = {}

    def _shape(self, key):
        """Return (Dash's entry, declared inputs, state, outputs) of a callback key, or None; built once per key."""
        found = self._shapes.get(key)
        if found is None:
            entry = dash_internals.callback_entry(self.dash_app, key)
            if entry is None or entry.get("callback") is None:  # unknown, or run in the browser only
                return None
            declared = entry.get("output")
            declared = declared if isinstance(declared, (list, tuple)) else [declared]
            found = (entry, *([(spec.get("id"), spec.get("property")) for spec in entry.get(part) or []]
                              for part in ("inputs", "state")),
                     [(o.component_id, o.component_property.split("@")[0]) for o in declared])
            self._shapes[key] = found
        return found

    def _checked_entry(self, body):
        """Return Dash's entry for a callback body whose outputs, inputs and state match it; raise Denied or Malformed."""
        if not isinstance(body, dict) or not isinstance(body.get("output"), str) or not _depth_ok(body):
            raise Malformed
        key = body["output"]
        shape = self._shape(key)
        if shape is None:
            raise Denied
        entry, inputs, state, outputs = shape
        # Dash hands inputs and state to the function by position: judge those positions.
        if not _matches(body.get("inputs"), inputs) or not _matches(body.get("state", []), state) or \
                not _outputs_match(body.get("outputs"), outputs, key.startswith("..")):
            raise Malformed
        return entry

    def callback_of(self, body):
        """Return (CALLBACK, key) of a /_dash-update-component body, or (PAGE, pathname) for the page router's."""
        entry = self._checked_entry(body)
        key = body["output"]
        if dash_internals.is_router(key):
            return PAGE, body["inputs"][dash_internals.router_pathname_position(entry)].get("value")
        return CALLBACK, key

    def page_of(self, pathname):
        """Return the page registry entry Dash renders at pathname, {} for none; raise Malformed."""
        # Dash strips its prefix from the path it is given: anything not rooted at "/" is not a page URL.
        if not isinstance(pathname, str) or not pathname.startswith("/"):
            raise Malformed
        return dash_internals.page_at(self.dash_app, pathname)[0]

    def server_callbacks(self):
        """Return the key of every callback Dash runs on the server, its page router's excepted."""
        return [key for key in dash_internals.server_callbacks(self.dash_app) if not dash_internals.is_router(key)]
