"""The line naming where the served numbers come from: source or DEMO, USDA release, load time, units."""
from data.queries import coverage as coverage_queries
from data.queries import metrics as queries
from data.serving.reader import NoData


def note(unit=None):
    """Return the line heading every export: the data's source and release, the units, DEMO when generated."""
    try:
        info, release = queries.load_info() or {}, coverage_queries.current_release()
    except NoData:
        return "No data loaded yet"
    parts = ["DEMO DATA: generated figures, not USDA's" if info.get("source_kind") == "demo"
             else "Source: USDA FAS PSD, Coffee, Green (0711100)"]
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

