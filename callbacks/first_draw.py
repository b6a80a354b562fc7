"""Draw a page's charts into its layout, as their callbacks would, for the user asking for it."""
from flask_login import current_user

from auth.access import allows
from data.serving import reader as serving
from extensions import cache


def drawn_props(charts, props):
    """Return {component id: {prop: value}}: each chart's view and message from the filters in props."""
    drawn = {}
    for spec in charts:
        # The layout is only built for users the page lets in; a chart needing more stays empty here.
        if not allows(current_user, spec.access):
            continue
        values = [props.get(component, {}).get(prop) for component, prop in spec.inputs]
        view, message = _draw(spec, values)
        drawn[spec.ids.view] = {spec.view_prop: view}
        drawn[spec.ids.message] = {"children": message}
    return drawn


def _key(spec, values):
    """Return the cache key of a chart's validated inputs on this serving file, or None (not kept)."""
    if not serving.cache_enabled():
        return None
    try:
        parts = spec.key(values)
        return None if parts is None else serving.cache_key("first-draw", parts)
    except serving.NoData:
        return None


def _draw(spec, values):
    """Return (view, message) of spec.draw(values), kept by chart and validated inputs only when drawn."""
    key = _key(spec, values)
    result = cache.get(key) if key else None
    if result is None:
        view, message, drawn = spec.draw(values)
        result = (view, message)
        if key and drawn:  # an error view ("failed to load", "check the filters") is never kept
            cache.set(key, result)
    return result
