"""Parse and validate a PSD bulk CSV into an Arrow table, or fail naming the problem."""
import csv
import json
from collections import Counter, defaultdict

import pyarrow as pa

from data.countries import to_iso3
from data.schema import ATTRIBUTES, COFFEE, COMMODITY_UNITS, REQUIRED_COLUMNS, UNITS
from data.source import READ_ERRORS, SourceError, fetch, open_csv

ARROW_SCHEMA = pa.schema(
    [
        pa.field("commodity_code", pa.string(), nullable=False),
        pa.field("commodity", pa.string(), nullable=False),
        pa.field("country_code", pa.string(), nullable=False),
        pa.field("country", pa.string(), nullable=False),
        pa.field("market_year", pa.int32(), nullable=False),
        pa.field("attribute_id", pa.int32(), nullable=False),
        pa.field("attribute", pa.string(), nullable=False),
        pa.field("unit", pa.string(), nullable=False),
        pa.field("value", pa.float64(), nullable=False),
    ]
)

MAX_ERRORS = 10
FACTS_KEY = b"beanflows.facts"


def _int(text):
    """Parse an integer field, tolerating USDA's zero padding."""
    return int(text.strip())


def facts(arrow):
    """Return what parse learnt about the file: release month, unknown codes, unmapped attributes."""
    meta = arrow.schema.metadata or {}
    empty = {"release_id": None, "unknown_country_codes": [], "unmapped_attributes": []}
    return {**empty, **json.loads(meta[FACTS_KEY])} if FACTS_KEY in meta else empty


def parse(name, text, progress=None, commodity=COFFEE):
    """Return an Arrow table of commodity's rows in a CSV (text or stream); raise SourceError listing bad lines."""
    stream = iter(text.splitlines()) if isinstance(text, str) else text
    try:
        return _parse(name, csv.reader(stream), progress, commodity)
    except READ_ERRORS as exc:
        raise SourceError(f"{name}: the file is unreadable ({exc})") from exc


def _parse(name, reader, progress, commodity):
    """Parse rows from reader; see parse."""
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise SourceError(f"{name}: the file is empty")
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SourceError(f"{name}: line 1: missing column(s) {', '.join(missing)}")
    idx = {c: header.index(c) for c in (*REQUIRED_COLUMNS, "Calendar_Year", "Month") if c in header}
    state = {"columns": {f.name: [] for f in ARROW_SCHEMA}, "seen": {}, "unknown": {},
             "units": defaultdict(Counter), "release": None, "first_line": {}}
    errors = []
    code_at = idx["Commodity_Code"]
    for line_no, row in enumerate(reader, start=2):
        if progress and line_no % 200000 == 0:
            progress(line_no)
        if not row:
            continue
        if len(row) != len(header):
            errors.append(f"line {line_no}: expected {len(header)} fields, found {len(row)}")
        elif commodity is None or row[code_at].strip() == commodity:
            problem = _check_row(row, idx, line_no, state)
            if problem:
                errors.append(f"line {line_no}: {problem}")
        if len(errors) >= MAX_ERRORS:
            break
    errors += [] if errors else _unit_problems(state)
    if errors:
        raise SourceError(f"{name}: " + "; ".join(errors))
    if not state["columns"]["value"]:
        wanted = f" for commodity {commodity}" if commodity else ""
        raise SourceError(f"{name}: no data rows{wanted}")
    table = pa.table(state["columns"], schema=ARROW_SCHEMA)
    file_facts = {
        "release_id": "%04d-%02d" % state["release"] if state["release"] else None,
        "unknown_country_codes": sorted(state["unknown"].items()),
        "unmapped_attributes": sorted({(a, n) for a, n in zip(state["columns"]["attribute_id"],
                                                               state["columns"]["attribute"])
                                       if a not in ATTRIBUTES}),
    }
    return table.replace_schema_metadata({FACTS_KEY: json.dumps(file_facts)})


def _release(row, idx):
    """Return (year, month) from Calendar_Year/Month, None when empty; raise ValueError when malformed."""
    if "Calendar_Year" not in idx or "Month" not in idx:
        return None
    year, month = row[idx["Calendar_Year"]].strip(), row[idx["Month"]].strip()
    if not year and not month:
        return None
    year, month = int(year), int(month)
    if not (1900 <= year <= 2999 and 1 <= month <= 12):
        raise ValueError
    return year, month


def _check_row(row, idx, line_no, state):
    """Validate one row and append it to the columns in state; return a problem or None."""
    get = lambda c: row[idx[c]].strip()  # noqa: E731
    code = get("Commodity_Code")
    country_code, known = to_iso3(get("Country_Code"), get("Country_Name"))
    if not code:
        return "empty Commodity_Code"
    if not country_code:
        return "empty Country_Code and Country_Name"
    try:
        year = _int(get("Market_Year"))
    except ValueError:
        return f"Market_Year {get('Market_Year')!r} is not an integer"
    try:
        attribute_id = _int(get("Attribute_ID"))
    except ValueError:
        return f"Attribute_ID {get('Attribute_ID')!r} is not an integer"
    try:
        release = _release(row, idx)
    except ValueError:
        return f"Calendar_Year/Month {get('Calendar_Year')!r}/{get('Month')!r} is not a year and month"
    unit = get("Unit_Description")
    if unit not in UNITS:
        return f"unknown unit {unit!r}"
    raw_value = get("Value")
    try:
        value = float(raw_value)
    except ValueError:
        return f"Value {raw_value!r} is not a number"
    if value != value or value in (float("inf"), float("-inf")):
        return f"Value {raw_value!r} is not a finite number"
    key = (code, country_code, year, attribute_id)
    seen = state["seen"]
    if key in seen:
        return f"duplicate of line {seen[key]} ({code}, {country_code}, {year}, attribute {attribute_id})"
    seen[key] = line_no
    if not known:
        state["unknown"][country_code] = get("Country_Name")
    if release and (state["release"] is None or release > state["release"]):
        state["release"] = release
    state["units"][(code, attribute_id, get("Attribute_Description"))][unit] += 1
    state["first_line"].setdefault((code, attribute_id, unit), (line_no, get("Country_Name")))
    columns = state["columns"]
    for column, item in (("commodity_code", code), ("commodity", get("Commodity_Description")),
                         ("country_code", country_code), ("country", get("Country_Name")),
                         ("market_year", year), ("attribute_id", attribute_id),
                         ("attribute", get("Attribute_Description")), ("unit", unit), ("value", value)):
        columns[column].append(item)
    return None


def _unit_problems(state):
    """Return one message per attribute whose rows mix units or use a unit wrong for the commodity."""
    problems = []
    for (code, attribute_id, attribute), units in sorted(state["units"].items()):
        label = f"attribute {attribute_id} ({attribute}) of {code}"
        if len(units) > 1:
            main = units.most_common(1)[0][0]
            odd = ", ".join(
                f"{n:,} row(s) in {u} (first: line {state['first_line'][(code, attribute_id, u)][0]}, "
                f"{state['first_line'][(code, attribute_id, u)][1]})"
                for u, n in units.items() if u != main
            )
            problems.append(f"{label} mixes units: {units[main]:,} row(s) in {main}, {odd}")
        expected = COMMODITY_UNITS.get(code, {}).get(attribute_id)
        wrong = sorted(u for u in units if expected and u != expected)
        if wrong and len(units) == 1:
            problems.append(f"{label} is in {wrong[0]}, expected {expected}")
    return problems


def read_source(source, progress=None, timeout=30, commodity=COFFEE):
    """Fetch, unzip and validate source; return (arrow_table, source_kind)."""
    payload, kind = fetch(source, timeout=timeout)
    return parse_payload(str(source), payload, progress, commodity), kind


def parse_payload(name, payload, progress=None, commodity=COFFEE):
    """Validate the bytes of a CSV or zip file; return its Arrow table."""
    return parse(name, open_csv(name, payload), progress=progress, commodity=commodity)
