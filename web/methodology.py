"""GET /methodology: definitions, units, marketing years, coverage, releases and sources, from the served data."""
from flask import Blueprint, abort, current_app, render_template, request

from auth.access import PUBLIC, requires
from data.commodities import UnknownCommodity
from data.commodities.site import served_commodity, site
from data.queries import coverage as coverage_queries
from data.queries import methodology as methodology_queries
from data.queries import metrics as queries
from data.reference import regions
from data.queries import releases as release_queries
from data.reference.documents import SOURCES
from data.serving.reader import NoData
from web import definitions, enso_methodology, prices_methodology

bp = Blueprint("methodology", __name__, template_folder="templates")


def _attributes(commodity):
    """Return one row per PSD attribute of the commodity: id, column, label, definition, unit and who reported it."""
    seen = methodology_queries.attribute_coverage(commodity.code).set_index("attribute_id")
    rows = []
    for attribute in commodity.attributes:
        attr_id, column = attribute.id, attribute.metric
        found = seen.loc[attr_id] if attr_id in seen.index else None
        rows.append({"id": attr_id, "column": column, "label": attribute.label, "unit": attribute.unit,
                     "definition": definitions.DEFINITIONS.get(column, f"USDA's \"{attribute.usda}\"."),
                     "served": found is not None,
                     **({} if found is None else {k: int(found[k]) for k in ("countries", "first_year", "last_year")})})
    # Attributes a file carries beyond the known ones are kept (obt_other_attributes) and listed too.
    for other in methodology_queries.other_attributes(commodity.code).itertuples():
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


def _marketing_years(commodity, names):
    """Return the declared countries' marketing years with the served country names and their source (or none)."""
    return [{"code": c.iso3, "country": names.get(c.iso3, c.iso3), "first": c.start, "last": c.end,
             "sources": [c.source] if c.source else []} for c in commodity.marketing_year.countries]


def _ico_groups(commodity, names):
    """Return every country of an ICO group with its group, the sources naming it and its status (when the
    commodity is grouped so)."""
    rows = []
    if "ico" not in commodity.regions:
        return rows
    for group in regions.ICO_GROUPS:
        for code in regions.members(group):
            keys, status = regions.ico_evidence(code)
            rows.append({"code": code, "country": names.get(code, code), "group": group, "sources": list(keys),
                         "status": status})
    return rows


def _references(commodity, *tables):
    """Return the sources cited by the rows of tables and the declaration, numbered in the order first cited."""
    keys = list(dict.fromkeys([*(key for rows in tables for row in rows for key in row["sources"]),
                               *commodity.sources()]))
    return [{"key": key, "number": number, **vars(SOURCES[key])} for number, key in enumerate(keys, start=1)]


def _coverage_changes(first, last, commodity):
    """Return [(year, [entering names], [leaving names])] of every coverage change, and the largest one."""
    changes = coverage_queries.coverage_changes(first, last, commodity.code)
    years = []
    for year, group in changes.groupby("market_year"):
        kinds = {kind: group[group["change"] == kind] for kind in ("enter", "leave")}
        years.append({"year": int(year), "enter": list(kinds["enter"]["country"]),
                      "leave": list(kinds["leave"]["country"]), "enter_codes": list(kinds["enter"]["country_code"])})
    largest = max(years, key=lambda y: len(y["enter"]) + len(y["leave"]), default=None)
    return years, largest


def _context(commodity):
    """Return the template's facts of a commodity, read from its declaration and the serving file."""
    info = queries.load_info(commodity.code) or {}
    countries = methodology_queries.country_coverage(commodity.code)
    first, last = queries.year_range(commodity.code)
    if first is None:
        raise NoData(f"no data loaded for {commodity.slug}")
    changes, largest = _coverage_changes(first, last, commodity)
    names = dict(zip(countries["country_code"], countries["country"]))
    marketing_years, ico_groups = _marketing_years(commodity, names), _ico_groups(commodity, names)
    references = _references(commodity, marketing_years, ico_groups)
    return {
        "commodity": commodity, "served": site(),
        "demo": info.get("source_kind") == "demo",
        "loaded_at": info.get("loaded_at"),
        "release": coverage_queries.current_release(commodity.code),
        "releases": release_queries.release_list(commodity.code).to_dict("records"),
        "unit": commodity.volume_unit,
        "unit_choices": commodity.units,
        "attributes": _attributes(commodity),
        "derived": [{"column": c, "label": commodity.labels[c], "country": country, "world": world}
                    for c, country, world in definitions.DERIVED],
        "marketing_years": marketing_years, "ico_groups": ico_groups,
        "references": references, "cited": {r["key"]: r for r in references}, "sourced": regions.SOURCED,
        "group_unverified": regions.GROUP_UNVERIFIED,
        "countries": _countries(countries),
        "first_year": first, "last_year": last,
        "changes": changes, "largest": largest,
        "psd_download": commodity.file, "psd_online": definitions.PSD_ONLINE,
        "enso": enso_methodology.context(names, commodity),
        "prices": prices_methodology.context(commodity),
    }


@bp.get("/methodology")
@requires(PUBLIC)
def methodology():
    """Render the methodology page of one served commodity (?commodity=<slug or code>; absent: the site's first)."""
    try:
        commodity = served_commodity(request.args.get("commodity"))
    except UnknownCommodity:
        abort(404)
    try:
        facts = _context(commodity)
    except NoData:
        return render_template("web/methodology_empty.html"), 503
    return render_template("web/methodology.html", usage_retention_days=current_app.config["USAGE_RETENTION_DAYS"],
                           **facts)
