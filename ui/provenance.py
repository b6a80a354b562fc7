"""The line naming where the served numbers come from: source or DEMO, USDA release, load time, units."""
from data.queries import coverage as coverage_queries
from data.queries import metrics as queries
from data.queries import scope
from data.serving.reader import NoData


def note(unit=None, commodity=None):
    """Return the line heading every export of a commodity (None: the default): the data's source and release,
    the units, DEMO when generated."""
    declared = scope.commodity(commodity)
    try:
        info, release = queries.load_info(declared.code) or {}, coverage_queries.current_release(declared.code)
    except NoData:
        return "No data loaded yet"
    parts = ["DEMO DATA: generated figures, not USDA's" if info.get("source_kind") == "demo"
             else f"Source: USDA FAS PSD, {declared.description} ({declared.code})"]
    if release:
        parts.append(f"release {release}")
    if info.get("loaded_at"):
        parts.append(f"loaded {info['loaded_at']:%Y-%m-%d %H:%M} UTC")
    parts.append(f"units: {unit}" if unit else "units: see the unit column")
    parts.append("empty cells: not reported")
    return "; ".join(parts)


def source_line(commodity=None):
    """Return the line naming the loaded data of a commodity (None: the default) and when it was loaded."""
    info = queries.load_info(commodity)
    if not info:
        return ""
    kind = {"usda": "USDA PSD Online download", "file": "USDA PSD bulk file", "demo": "generated DEMO data"}
    loaded = info["loaded_at"].strftime("%Y-%m-%d %H:%M UTC") if info.get("loaded_at") else "unknown"
    return f"Loaded {loaded} from {kind.get(info['source_kind'], info['source_kind'])}."

