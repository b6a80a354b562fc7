"""Draw a page's charts into its layout, as their callbacks would, for the user asking for it."""
from flask_login import current_user

from auth.access import allows
from data import serving
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


def _draw(spec, values):
    """Return spec.draw(values), kept by chart, values (release included) and serving-file version."""
    try:
        key = serving.cache_key("first-draw", (spec.ids.base, values)) if serving.cache_enabled() else None
    except serving.NoData:
        key = None
    result = cache.get(key) if key else None
    if result is None:
        result = spec.draw(values)
        if key:
            cache.set(key, result)
    return result
