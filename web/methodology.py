"""GET /methodology: definitions, units, marketing years, coverage, releases and sources, from the served data."""
from flask import Blueprint, current_app, render_template

from auth.access import PUBLIC, requires
from data.queries import coverage as coverage_queries
from data.queries import methodology as methodology_queries
from data.queries import metrics as queries
from data.reference import regions
from data.queries import releases as release_queries
from data.reference.documents import SOURCES
from data.schema import ATTRIBUTES, COFFEE, METRIC_LABELS, TONNES_PER_UNIT
from data.serving.reader import NoData
from web import definitions, enso_methodology

bp = Blueprint("methodology", __name__, template_folder="templates")


def _attributes(unit):
    """Return one row per PSD attribute: id, column, label, definition, unit and who reported it."""
    seen = methodology_queries.attribute_coverage(COFFEE).set_index("attribute_id")
    rows = []
    for attr_id, column in ATTRIBUTES.items():
        found = seen.loc[attr_id] if attr_id in seen.index else None
        rows.append({"id": attr_id, "column": column, "label": METRIC_LABELS[column], "unit": unit,
                     "definition": definitions.DEFINITIONS[column], "served": found is not None,
                     **({} if found is None else {k: int(found[k]) for k in ("countries", "first_year", "last_year")})})
    # Attributes a file carries beyond the known ones are kept (obt_other_attributes) and listed too.
    for other in methodology_queries.other_attributes(COFFEE).itertuples():
        found = seen.loc[other.attribute_id] if other.attribute_id in seen.index else None
        rows.append({"id": int(other.attribute_id), "column": None, "label": other.attribute, "unit": other.unit,
                     "definition": "Kept as loaded; not a column of the serving tables.", "served": found is not None,
                     **({} if found is None else {k: int(found[k]) for k in ("countries", "first_year", "last_year")})})
    return sorted(rows, key=lambda r: r["id"])


def _countries(frame):
    """Return the per-country coverage rows as plain values (None for a country that never reported)."""
    rows = []
    for row in frame.itertuples():
        reported = int(row.years_reported) > 0
        rows.append({"code": row.country_code, "name": row.country, "years": int(row.years_reported),
                     "first": int(row.first_year) if reported else None,
                     "last": int(row.last_year) if reported else None,
                     "gaps": [int(y) for y in row.gaps]})
    return rows


def _marketing_years(names):
    """Return the main producers' marketing years with the served country names and their source (or None)."""
    return [{"code": code, "country": names.get(code, code), "first": first, "last": last,
             "sources": [key] if key else []} for code, (first, last, key) in definitions.MARKETING_YEARS.items()]


def _ico_groups(names):
    """Return every country of an ICO group with its group, the sources naming it and its status."""
    rows = []
    for group in regions.ICO_GROUPS:
        for code in regions.members(group):
            keys, status = regions.ico_evidence(code)
            rows.append({"code": code, "country": names.get(code, code), "group": group, "sources": list(keys),
                         "status": status})
    return rows


def _references(*tables):
    """Return the sources cited by the rows of tables, numbered in the order they are first cited."""
    keys = list(dict.fromkeys(key for rows in tables for row in rows for key in row["sources"]))
    return [{"key": key, "number": number, **vars(SOURCES[key])} for number, key in enumerate(keys, start=1)]


def _coverage_changes(first, last):
    """Return [(year, [entering names], [leaving names])] of every coverage change, and the largest one."""
    changes = coverage_queries.coverage_changes(first, last, COFFEE)
    years = []
    for year, group in changes.groupby("market_year"):
        kinds = {kind: group[group["change"] == kind] for kind in ("enter", "leave")}
        years.append({"year": int(year), "enter": list(kinds["enter"]["country"]),
                      "leave": list(kinds["leave"]["country"]), "enter_codes": list(kinds["enter"]["country_code"])})
    largest = max(years, key=lambda y: len(y["enter"]) + len(y["leave"]), default=None)
    return years, largest


def _context():
    """Return the template's facts, read from the serving file."""
    info = queries.load_info() or {}
    unit = queries.commodities().set_index("commodity_code").loc[COFFEE, "unit"]
    countries = methodology_queries.country_coverage(COFFEE)
    first, last = queries.year_range(COFFEE)
    changes, largest = _coverage_changes(first, last)
    names = dict(zip(countries["country_code"], countries["country"]))
    marketing_years, ico_groups = _marketing_years(names), _ico_groups(names)
    references = _references(marketing_years, ico_groups)
    return {
        "demo": info.get("source_kind") == "demo",
        "loaded_at": info.get("loaded_at"),
        "release": coverage_queries.current_release(),
        "releases": release_queries.release_list().to_dict("records"),
        "unit": unit,
        "tonnes_factor": TONNES_PER_UNIT[unit] / 1000,
        "attributes": _attributes(unit),
        "derived": [{"column": c, "label": METRIC_LABELS[c], "country": country, "world": world}
                    for c, country, world in definitions.DERIVED],
        "marketing_years": marketing_years, "ico_groups": ico_groups,
        "references": references, "cited": {r["key"]: r for r in references}, "sourced": regions.SOURCED,
        "group_unverified": regions.GROUP_UNVERIFIED,
        "countries": _countries(countries),
        "first_year": first, "last_year": last,
        "changes": changes, "largest": largest,
        "psd_download": definitions.PSD_DOWNLOAD, "psd_online": definitions.PSD_ONLINE,
        "enso": enso_methodology.context(names),
    }


@bp.get("/methodology")
@requires(PUBLIC)
def methodology():
    """Render the methodology page."""
    try:
        facts = _context()
    except NoData:
        return render_template("web/methodology_empty.html"), 503
    return render_template("web/methodology.html", usage_retention_days=current_app.config["USAGE_RETENTION_DAYS"],
                           **facts)
