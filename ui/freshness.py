"""Where the served numbers come from and how fresh they are, for the footer of every page."""
from data.queries import coverage as coverage_queries
from data.queries import metrics as queries
from data.serving.reader import NoData
from data.sources import demo

KINDS = ("missing", "demo", "usda")
# The DEMO banner of every page (Dash's shell and the templates): what happened, as the load recorded it.
DEMO_FALLBACK = "USDA's PSD download was unreachable, so these figures are generated, not USDA's."
DEMO_CHOSEN = "These figures are generated demo data (loaded with `ingest --demo`), not USDA's."


def status(commodity=None):
    """Return {"kind": missing | demo | usda, "line": the freshness line naming the USDA release and load time}.

    Of a commodity (a slug or code; None: the site's first). Demo data adds "banner": why the figures are
    generated (chosen, or USDA unreachable).
    """
    try:
        info, release = queries.load_info(commodity) or {}, coverage_queries.current_release(commodity)
    except NoData:
        return {"kind": "missing", "line": "No data loaded yet."}
    loaded = f"loaded {info['loaded_at']:%Y-%m-%d %H:%M} UTC" if info.get("loaded_at") else "load time unknown"
    if info.get("source_kind") == "demo":
        banner = DEMO_FALLBACK if demo.FELL_BACK in (info.get("source") or "") else DEMO_CHOSEN
        return {"kind": "demo", "line": f"DEMO DATA: generated figures, not USDA's; {loaded}.", "banner": banner}
    named = f"USDA PSD release {release}" if release else "USDA PSD (release unknown)"
    return {"kind": "usda", "line": f"Data: {named}, {loaded}."}


def source_text(text):
    """Return the data-source note, headed by a DEMO warning when the served data is generated."""
    if status()["kind"] != "demo":
        return text
    return "DEMO DATA: generated figures, not USDA's, shown in the layout of USDA's data. About the real data: " + text
