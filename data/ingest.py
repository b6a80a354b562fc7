"""Parse and validate a PSD bulk CSV into an Arrow table, or fail naming the problem."""
import csv
import io

import pyarrow as pa

from data.schema import REQUIRED_COLUMNS, UNITS, country_code_for
from data.source import SourceError, csv_text, fetch

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


def _int(text):
    """Parse an integer field, tolerating USDA's zero padding."""
    return int(text.strip())


def parse(name, text, progress=None):
    """Return an Arrow table of the CSV rows; raise SourceError listing bad lines."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise SourceError(f"{name}: the file is empty")
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SourceError(f"{name}: line 1: missing column(s) {', '.join(missing)}")
    idx = {c: header.index(c) for c in REQUIRED_COLUMNS}
    columns = {f.name: [] for f in ARROW_SCHEMA}
    seen = {}
    errors = []

    for line_no, row in enumerate(reader, start=2):
        if not row:
            continue
        if progress and line_no % 20000 == 0:
            progress(line_no)
        if len(row) != len(header):
            errors.append(f"line {line_no}: expected {len(header)} fields, found {len(row)}")
        else:
            problem = _check_row(row, idx, line_no, seen, columns)
            if problem:
                errors.append(f"line {line_no}: {problem}")
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise SourceError(f"{name}: " + "; ".join(errors))
    if not columns["value"]:
        raise SourceError(f"{name}: no data rows")
    return pa.table(columns, schema=ARROW_SCHEMA)


def _check_row(row, idx, line_no, seen, columns):
    """Validate one row and append it to columns; return a problem or None."""
    get = lambda c: row[idx[c]].strip()  # noqa: E731
    code = get("Commodity_Code")
    country_code = country_code_for(get("Country_Code"), get("Country_Name"))
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
    if key in seen:
        return f"duplicate of line {seen[key]} ({code}, {country_code}, {year}, attribute {attribute_id})"
    seen[key] = line_no
    columns["commodity_code"].append(code)
    columns["commodity"].append(get("Commodity_Description"))
    columns["country_code"].append(country_code)
    columns["country"].append(get("Country_Name"))
    columns["market_year"].append(year)
    columns["attribute_id"].append(attribute_id)
    columns["attribute"].append(get("Attribute_Description"))
    columns["unit"].append(unit)
    columns["value"].append(value)
    return None


def read_source(source, progress=None, timeout=30):
    """Fetch, unzip and validate source; return (arrow_table, source_kind)."""
    payload, kind = fetch(source, timeout=timeout)
    return parse(str(source), csv_text(str(source), payload), progress=progress), kind
