"""Parse and validate a PSD bulk file (one commodity group, or PSD's all-data file) into an Arrow table.

Every declared commodity in the file is kept (or the ones asked for); the others are listed as skipped. pyarrow
reads the text; DuckDB checks it in a few passes over those columns; a problem fails the whole file naming lines.
"""
import json
from typing import Any

import duckdb
import pyarrow as pa

from data import commodities as declared
from data.reference import reporters
from data.reference.countries import to_iso3
from data.sources import psd_checks, psd_raw
from data.sources.fetch import SourceError, fetch

ARROW_SCHEMA = pa.schema([
    pa.field("commodity_code", pa.string(), nullable=False),
    pa.field("commodity", pa.string(), nullable=False),
    pa.field("country_code", pa.string(), nullable=False),
    pa.field("country", pa.string(), nullable=False),
    pa.field("market_year", pa.int32(), nullable=False),
    pa.field("attribute_id", pa.int32(), nullable=False),
    pa.field("attribute", pa.string(), nullable=False),
    pa.field("unit", pa.string(), nullable=False),
    pa.field("value", pa.float64(), nullable=False),
])
MAX_ERRORS = psd_raw.MAX_ERRORS
FACTS_KEY = b"beanflows.facts"
EMPTY_FACTS: dict[str, Any] = {"releases": {}, "unknown_country_codes": [], "unmapped_attributes": [], "skipped": [],
               "identity_breaks": []}

# The file's rows as pyarrow read them, and those of the commodities wanted (and rows with no code, which
# fail) with their product country codes: views, so that each pass reads pyarrow's columns without copying them.
# Fields are trimmed where few values repeat (codes, names, units: in the lookup tables) or where a cast
# ignores the spaces (numbers), never row by row.
ROWS = """
    CREATE VIEW rows AS SELECT idx, Commodity_Code AS raw_code, Commodity_Description AS commodity,
           Country_Code AS usda_code, Country_Name AS usda_name, Market_Year AS market_year,
           Calendar_Year AS calendar_year, Month AS month, Attribute_ID AS attribute_id,
           Attribute_Description AS attribute, Unit_Description AS unit, Value AS value
    FROM raw_rows
"""
KEPT = ("CREATE VIEW kept AS SELECT r.*, w.code, l.country_code, l.country FROM rows r JOIN wanted w USING (raw_code) "
        "JOIN country_lookup l USING (usda_code, usda_name)")
QUOTED = "CREATE MACRO q(s) AS chr(39) || replace(s, chr(39), chr(92) || chr(39)) || chr(39)"
# The first problem of each row, in the order a reader would check them; NULL when the row is sound.
PROBLEM = r"""
    CASE WHEN code = '' THEN 'empty Commodity_Code'
         WHEN country_code = '' THEN 'empty Country_Code and Country_Name'
         WHEN NOT regexp_full_match(market_year, '\s*[+-]?\d+\s*')
              THEN format('Market_Year {} is not an integer', q(trim(market_year)))
         WHEN NOT regexp_full_match(attribute_id, '\s*[+-]?\d+\s*')
              THEN format('Attribute_ID {} is not an integer', q(trim(attribute_id)))
         WHEN NOT ((trim(calendar_year) = '' AND trim(month) = '')
                   OR (regexp_full_match(calendar_year, '\s*\d{4}\s*') AND regexp_full_match(month, '\s*\d{1,2}\s*')
                       AND TRY_CAST(calendar_year AS INTEGER) BETWEEN 1900 AND 2999
                       AND TRY_CAST(month AS INTEGER) BETWEEN 1 AND 12))
              THEN format('Calendar_Year/Month {}/{} is not a year and month', q(trim(calendar_year)),
                          q(trim(month)))
         WHEN NOT list_contains($units, trim(unit)) THEN format('unknown unit {}', q(trim(unit)))
         WHEN TRY_CAST(value AS DOUBLE) IS NULL THEN format('Value {} is not a number', q(trim(value)))
         WHEN NOT isfinite(TRY_CAST(value AS DOUBLE)) THEN format('Value {} is not a finite number', q(trim(value)))
    END
"""
TYPED = """
    SELECT code AS commodity_code, trim(commodity) AS commodity, country_code, country,
           CAST(market_year AS INTEGER) AS market_year, CAST(attribute_id AS INTEGER) AS attribute_id,
           trim(attribute) AS attribute, trim(unit) AS unit, CAST(value AS DOUBLE) AS value, idx
    FROM kept
"""
# Keys seen more than once (a hash aggregate: cheap); only then the rows are found with their first line.
REPEATED = ("SELECT count(*) FROM (SELECT 1 FROM mapped GROUP BY commodity_code, country_code, market_year, "
            "attribute_id HAVING count(*) > 1)")
DUPLICATES = """
    SELECT idx, first, commodity_code, country_code, market_year, attribute_id FROM (
        SELECT *, min(idx) OVER k AS first, row_number() OVER (k ORDER BY idx) AS n FROM mapped
        WINDOW k AS (PARTITION BY commodity_code, country_code, market_year, attribute_id)
    ) WHERE n > 1 ORDER BY idx LIMIT $limit
"""
# Each commodity's latest revision month (Calendar_Year/Month), NULL when the file leaves them empty.
RELEASES = """
    SELECT code, max(CASE WHEN trim(calendar_year) <> '' THEN trim(calendar_year) || '-' || lpad(trim(month), 2, '0')
                     END)
    FROM (SELECT DISTINCT raw_code, calendar_year, month FROM rows) JOIN wanted USING (raw_code)
    WHERE code <> '' GROUP BY code ORDER BY code
"""


def facts(arrow):
    """Return what parse learnt: per-commodity release months, unknown codes, unmapped attributes, skipped ones."""
    meta = arrow.schema.metadata or {}
    return {**EMPTY_FACTS, **json.loads(meta[FACTS_KEY])} if FACTS_KEY in meta else dict(EMPTY_FACTS)


def wanted_codes(catalog, commodities=None):
    """Return the PSD codes to keep: the declared ones, or those of the slugs/codes asked for."""
    if not commodities:
        return list(catalog.codes)
    if isinstance(commodities, str):
        commodities = [part for part in commodities.split(",") if part.strip()]
    try:
        return list(dict.fromkeys(catalog.code(key) for key in commodities))
    except LookupError as exc:
        raise SourceError(str(exc)) from exc


def parse(name, text, progress=None, commodities=None, catalog=None):
    """Return an Arrow table of the declared commodities' rows in a CSV (text or bytes); raise SourceError."""
    catalog = catalog or declared.current()
    data = psd_raw.csv_bytes(name, text)
    raw = psd_raw.read(name, data)
    if progress:
        progress(f"read {raw.num_rows:,} rows")
    con = duckdb.connect(":memory:", config={"threads": 2})
    try:
        con.register("raw_rows", raw)
        con.execute(ROWS)
        con.execute(QUOTED)
        present, skipped, raw_codes = _commodities(con, wanted_codes(catalog, commodities), catalog)
        if not present:
            _no_rows(name, catalog, commodities, skipped)
        kept = [(raw, code) for raw, code in raw_codes if code in present or code == ""]
        con.register("wanted", pa.table({"raw_code": [r for r, _ in kept], "code": [c for _, c in kept]}))
        unknown = _map_countries(con)
        _fail_on(name, data, _row_problems(con, catalog))
        typed = con.sql(TYPED).to_arrow_table()
        con.register("mapped", typed)
        _fail_on(name, data, _duplicates(con))
        _fail_on(name, data, psd_checks.unit_problems(con, catalog))
        if progress:
            progress("checked every row")
        breaks = psd_checks.identity_problems(con, catalog, present)
        _fail_on(name, data, breaks["refused"])
        file_facts = {"releases": dict(con.execute(RELEASES).fetchall()), "unknown_country_codes": unknown,
                      "unmapped_attributes": psd_checks.unmapped(con, catalog), "skipped": skipped,
                      "identity_breaks": breaks["kept"]}
    finally:
        con.close()
    table = typed.select(ARROW_SCHEMA.names).cast(ARROW_SCHEMA)
    del raw, typed
    pa.default_memory_pool().release_unused()  # the text columns are gone: hand their memory back
    return table.replace_schema_metadata({FACTS_KEY: json.dumps(file_facts)})


def _commodities(con, wanted, catalog):
    """Return (wanted codes in the file, [code, description, rows, why] of the others: not declared or not asked,
    [(the code as written, trimmed)])."""
    written = con.execute("SELECT raw_code, any_value(commodity), count(*) FROM rows GROUP BY raw_code").fetchall()
    found = {}
    for raw, description, rows in written:
        code = raw.strip()
        found[code] = (description.strip(), found.get(code, (None, 0))[1] + rows)
    present = [code for code in sorted(found) if code in wanted]
    skipped = [[code, description, rows, "not asked for" if code in catalog.codes else "not declared"]
               for code, (description, rows) in sorted(found.items()) if code and code not in wanted]
    return present, skipped, [(raw, raw.strip()) for raw, _, _ in written]


def _no_rows(name, catalog, asked, skipped):
    """Raise the refusal of a file holding none of the commodities wanted."""
    wanted = ", ".join(catalog.get(code).slug for code in wanted_codes(catalog, asked))
    held = "; the file holds " + ", ".join(f"{code} {description}" for code, description, *_ in skipped[:8]) \
        if skipped else ""
    raise SourceError(f"{name}: no data rows for {'the declared commodities' if not asked else wanted}{held}")


def _map_countries(con):
    """Give each kept row its product code and served name (data/reference/countries.py); return unknown codes."""
    pairs = con.execute("SELECT DISTINCT usda_code, usda_name FROM rows SEMI JOIN wanted USING (raw_code)").fetchall()
    mapped = {pair: to_iso3(pair[0].strip(), pair[1].strip()) for pair in pairs}
    con.register("country_lookup", pa.table({
        "usda_code": [p[0] for p in pairs], "usda_name": [p[1] for p in pairs],
        "country_code": [mapped[p][0] for p in pairs],
        "country": [reporters.name(mapped[p][0], p[1].strip()) for p in pairs]}))
    con.execute(KEPT)
    return sorted({(code, name.strip()) for (_, name), (code, known) in mapped.items() if not known and code})


def _escaped(text):
    """Return text safe inside a str.format template."""
    return str(text).replace("{", "{{").replace("}", "}}")


def _row_problems(con, catalog):
    """Return [(row idx, problem, None)] of the first bad rows, in file order."""
    units = sorted(catalog.units() | psd_checks.PSD_UNITS)
    bad = con.execute(f"SELECT idx, {PROBLEM} AS problem FROM kept WHERE problem IS NOT NULL ORDER BY idx "
                      "LIMIT $limit", {"units": units, "limit": MAX_ERRORS}).fetchall()
    return [(idx, _escaped(problem), None) for idx, problem in bad]


def _duplicates(con):
    """Return [(row idx, problem, first row idx)] of rows repeating a key (commodity, country, year, attribute)."""
    if not con.execute(REPEATED).fetchall()[0][0]:
        return []
    found = con.execute(DUPLICATES, {"limit": MAX_ERRORS}).fetchall()
    return [(idx, f"duplicate of line {{line}} ({code}, {country}, {year}, attribute {attr})", first)
            for idx, first, code, country, year, attr in found]


def _fail_on(name, data, problems):
    """Raise SourceError listing problems: (row idx or None, template naming the lines of its refs, refs)."""
    if not problems:
        return
    problems = [(idx, template, ref if isinstance(ref, list) else [ref]) for idx, template, ref in problems]
    problems = problems[:MAX_ERRORS]
    lines = psd_raw.line_numbers(data, {i for idx, _, refs in problems for i in (idx, *refs) if i is not None})
    rendered = []
    for idx, template, refs in problems:
        found = [lines.get(ref, "?") for ref in refs]
        text = template.format(*found, line=found[0])
        rendered.append(text if idx is None else f"line {lines.get(idx, '?')}: {text}")
    raise SourceError(f"{name}: " + "; ".join(rendered))


def read_source(source, progress=None, timeout=30, commodities=None, catalog=None):
    """Fetch, unzip and validate source; return (arrow_table, source_kind)."""
    payload, kind = fetch(source, timeout=timeout)
    return parse(str(source), payload, progress, commodities, catalog), kind


def parse_payload(name, payload, progress=None, commodities=None, catalog=None):
    """Validate the bytes of a CSV or zip file; return its Arrow table."""
    return parse(name, payload, progress, commodities, catalog)
