"""Checks of a PSD file's declared commodities that span rows: units per attribute, balance-sheet identities."""
import math

from data.schema import UNITS

PSD_UNITS = UNITS
MAX_EXAMPLES = 3


def unit_problems(con, catalog):
    """Return problems (None, template, first rows) for attributes mixing units or in a unit not declared."""
    rows = con.execute("""
        SELECT commodity_code, attribute_id, any_value(attribute), unit, count(*), min(idx), arg_min(country, idx)
        FROM mapped GROUP BY commodity_code, attribute_id, unit
        ORDER BY commodity_code, attribute_id, count(*) DESC, unit""").fetchall()
    grouped = {}
    for code, aid, name, unit, count, first, country in rows:
        grouped.setdefault((code, aid), {"name": name, "units": []})["units"].append((unit, count, first, country))
    problems = []
    for (code, aid), found in grouped.items():
        label = f"attribute {aid} ({found['name']}) of {code}"
        units = found["units"]
        if len(units) > 1:
            main_unit, main_count = units[0][0], units[0][1]
            odd = ", ".join(f"{count:,} row(s) in {unit} (first: line {{{n}}}, {_braced(country)})"
                            for n, (unit, count, _, country) in enumerate(units[1:]))
            problems.append((None, f"{_braced(label)} mixes units: {main_count:,} row(s) in {main_unit}, {odd}",
                             [first for _, _, first, _ in units[1:]]))
            continue
        commodity = catalog.get(code)
        if aid in commodity.attribute_ids and units[0][0] != commodity.attribute(commodity.attribute_ids[aid]).unit:
            expected = commodity.attribute(commodity.attribute_ids[aid]).unit
            problems.append((None, f"{_braced(label)} is in {units[0][0]}, expected {expected}", None))
    return problems


def _braced(text):
    """Return text safe inside a str.format template."""
    return str(text).replace("{", "{{").replace("}", "}}")


def unmapped(con, catalog):
    """Return [code, attribute id, USDA's name] of attributes a commodity's rows carry that it does not declare."""
    found = con.execute("SELECT commodity_code, attribute_id, any_value(attribute) FROM mapped "
                        "GROUP BY ALL ORDER BY ALL").fetchall()
    return [[code, aid, name] for code, aid, name in found if aid not in catalog.get(code).attribute_ids]


def identity_problems(con, catalog, present):
    """Return {"refused": problems, "kept": [slug, identity, breaks, country-years]} of the declared identities.

    A country-year breaks an identity when its total and the sum of its parts differ by more than the tolerance;
    a commodity is refused when more of its country-years break one than the identity's max_share allows.
    """
    refused, kept = [], []
    checked = {code: [i for i in catalog.get(code).identities
                      if all(m in catalog.get(code).metrics for m in (i.total, *i.parts))] for code in present}
    ids = sorted({catalog.get(code).attribute(m).id for code, found in checked.items() for i in found
                  for m in (i.total, *i.parts)})
    if not ids:
        return {"refused": refused, "kept": kept}
    # One balance sheet per commodity, country and year, of every attribute an identity names (ids: declared).
    columns = ", ".join(f"max(value) FILTER (WHERE attribute_id = {int(a)}) AS a{int(a)}" for a in ids)
    con.execute(f"CREATE OR REPLACE TEMP TABLE sheet AS SELECT commodity_code, country_code, any_value(country) AS "
                f"country, market_year AS year, {columns} FROM mapped GROUP BY commodity_code, country_code, market_year")
    for code in present:
        commodity = catalog.get(code)
        for identity in checked[code]:
            total = f"a{commodity.attribute(identity.total).id}"
            parts = " + ".join(f"a{commodity.attribute(p).id}" for p in identity.parts)
            where = " AND ".join(f"a{commodity.attribute(m).id} IS NOT NULL" for m in (identity.total, *identity.parts))
            n, breaks = con.execute(f"SELECT count(*), count(*) FILTER (WHERE abs({total} - ({parts})) > ?) "
                                    f"FROM sheet WHERE commodity_code = ? AND {where}",
                                    [identity.tolerance, code]).fetchall()[0]
            if not breaks:
                continue
            allowed = math.floor(identity.max_share * n)
            if breaks <= allowed:
                kept.append([commodity.slug, identity.name, breaks, n])
                continue
            examples = con.execute(f"SELECT country, year, {total}, {parts} FROM sheet WHERE commodity_code = ? AND "
                                   f"{where} AND abs({total} - ({parts})) > ? ORDER BY year, country "
                                   f"LIMIT {MAX_EXAMPLES}", [code, identity.tolerance]).fetchall()
            shown = "; ".join(f"{country} {year}: {t:,.0f} against {s:,.0f}" for country, year, t, s in examples)
            refused.append((None, _braced(
                f"{commodity.slug}: {identity.total} = {' + '.join(identity.parts)} ({identity.name}) fails in "
                f"{breaks:,} of {n:,} country-years, more than the {allowed:,} USDA's own files allow (e.g. {shown})"),
                None))
    return {"refused": refused, "kept": kept}
