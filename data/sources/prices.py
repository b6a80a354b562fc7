"""Parse and validate a World Bank Pink Sheet edition (CMO-Historical-Data-Monthly.xlsx) into Arrow, or fail naming why.

Both layouts the World Bank ships are read: a row of series names, a row of units and (December 2024 and before)
a row of series codes, then one row per month written 1960M01, with `…` where a value is missing. Only the series
the commodities declare are kept, each checked against its declared unit (and code, where the file has codes).
"""
import hashlib
import io
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from data.sources.fetch import SourceError, fetch, is_url

SHEET = "Monthly Prices"
MISSING = ("…", "...", "", None)
MONTH = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
UPDATED = re.compile(r"^\s*Updated on\s+(.+?)\s*$")
HEADER_ROWS = 15
MAX_ERRORS = 10

ARROW_SCHEMA = pa.schema([
    pa.field("series", pa.string(), nullable=False),
    pa.field("month", pa.string(), nullable=False),
    pa.field("value", pa.float64(), nullable=False),
    pa.field("unit", pa.string(), nullable=False),
])


@dataclass(frozen=True)
class Edition:
    """A parsed edition: its values (Arrow, in the file's units), release id (YYYY-MM) and the date it names."""

    arrow: pa.Table
    release_id: str
    updated: str


def declared_series(catalog):
    """Return {World Bank series name: PriceSeries} of every declared commodity's price series."""
    return {p.series.strip(): p for commodity in catalog for p in commodity.prices}


def content_hash(arrow):
    """Return a digest of the parsed values, independent of the workbook's formatting."""
    digest = hashlib.sha256()
    for row in zip(*(arrow.column(name).to_pylist() for name in ARROW_SCHEMA.names)):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _workbook(name, payload):
    """Return the openpyxl workbook of payload, or raise SourceError saying what the bytes are instead."""
    import openpyxl  # imported on a load, not at every web start

    if not payload:
        raise SourceError(f"{name}: the file is empty")
    if payload[:512].lstrip().startswith(b"<"):
        raise SourceError(f"{name}: an HTML page, not the World Bank's workbook (an error page from the server?)")
    if not zipfile.is_zipfile(io.BytesIO(payload)):
        raise SourceError(f"{name}: not an .xlsx workbook (CMO-Historical-Data-Monthly.xlsx)")
    try:
        return openpyxl.load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook; the reason goes to the operator
        raise SourceError(f"{name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from exc


def _release(name, rows):
    """Return (release id YYYY-MM, date text) from the title block's `Updated on Month DD, YYYY`."""
    for row in rows:
        for cell in row:
            found = UPDATED.match(cell) if isinstance(cell, str) else None
            if found:
                try:
                    day = datetime.strptime(found.group(1), "%B %d, %Y")
                except ValueError:
                    raise SourceError(f"{name}: {SHEET}: cannot read the date in {cell.strip()[:60]!r}") from None
                return day.strftime("%Y-%m"), day.strftime("%Y-%m-%d")
    raise SourceError(f"{name}: {SHEET}: no 'Updated on ...' line in the title block")


def _header(name, rows, wanted):
    """Return the index of the row of series names: the first naming a declared series."""
    for index, row in enumerate(rows):
        if any(isinstance(cell, str) and cell.strip() in wanted for cell in row):
            return index
    raise SourceError(f"{name}: {SHEET}: no row of series names naming any of {', '.join(sorted(wanted))}")


def _columns(name, rows, at, wanted):
    """Return ({series: column}, first data row index), checking each declared series' unit and code."""
    names = [cell.strip() if isinstance(cell, str) else None for cell in rows[at]]
    units = list(rows[at + 1]) if at + 1 < len(rows) else []
    after = list(rows[at + 2]) if at + 2 < len(rows) else []
    # The December 2024 layout has a row of series codes; its first cell is empty where a month would be.
    has_codes = bool(after) and after[0] in (None, "") and any(isinstance(c, str) and c.strip() for c in after[1:])
    errors, found = [], {}
    for series, declared in wanted.items():
        if series not in names:
            errors.append(f"series {series!r} is not in the row of series names")
            continue
        column = names.index(series)
        unit = units[column] if column < len(units) else None
        unit = unit.strip() if isinstance(unit, str) else unit
        if unit != declared.file_unit:
            errors.append(f"series {series!r}: unit {unit!r} in the file, declared {declared.file_unit!r} "
                          "(a changed unit is refused: the values would be misread)")
        if has_codes and declared.code and str(after[column] or "").strip() != declared.code:
            errors.append(f"series {series!r}: code {after[column]!r} in the file, declared {declared.code!r}")
        found[series] = column
    if errors:
        raise SourceError(f"{name}: {SHEET}: " + "; ".join(errors))
    return found, at + (3 if has_codes else 2)


def _value(cell):
    """Return a cell's price, None when missing; raise ValueError for text or an implausible number."""
    if isinstance(cell, str) and cell.strip() in MISSING or cell is None:
        return None
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        raise ValueError(f"{str(cell)[:20]!r} is not a number")
    if not math.isfinite(cell) or cell <= 0:
        raise ValueError(f"{cell!r} is not a positive price")
    return float(cell)


def _months(name, rows, start, columns, release_id):
    """Return the Arrow values of the month rows from start; raise SourceError listing the bad rows."""
    out = {field: [] for field in ARROW_SCHEMA.names}
    errors, previous = [], None
    for index in range(start, len(rows)):
        row, line = rows[index], index + 1
        if not row or all(cell in (None, "") for cell in row):
            continue
        label = row[0].strip() if isinstance(row[0], str) else row[0]
        found = MONTH.match(label) if isinstance(label, str) else None
        if not found:
            errors.append(f"row {line}: unknown month {str(label)[:20]!r} (expected e.g. 1960M01)")
        else:
            month = f"{found.group(1)}-{found.group(2)}"
            if previous is not None and month <= previous:
                errors.append(f"row {line}: month {label} is out of order (after {previous.replace('-', 'M')})")
            elif month > release_id:
                errors.append(f"row {line}: month {label} is after the edition's date ({release_id})")
            previous = month
            for series, column in columns.items():
                try:
                    value = _value(row[column] if column < len(row) else None)
                except ValueError as exc:
                    errors.append(f"row {line} ({label}), {series!r}: {exc}")
                    continue
                if value is not None:
                    for key, item in (("series", series), ("month", month), ("value", value), ("unit", "")):
                        out[key].append(item)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise SourceError(f"{name}: {SHEET}: " + "; ".join(errors))
    if not out["month"]:
        raise SourceError(f"{name}: {SHEET}: no month rows with a price of the declared series")
    return out


def parse(name, payload, catalog):
    """Return the Edition of a Pink Sheet workbook's bytes; raise SourceError naming what is wrong."""
    wanted = declared_series(catalog)
    if not wanted:
        raise SourceError("no commodity declares a World Bank price series ([[prices]])")
    book = _workbook(name, payload)
    try:
        if SHEET not in book.sheetnames:
            raise SourceError(f"{name}: no sheet {SHEET!r} (sheets: {', '.join(book.sheetnames)})")
        rows = [tuple(row) for row in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()
    release_id, updated = _release(name, rows[:HEADER_ROWS])
    columns, start = _columns(name, rows, _header(name, rows[:HEADER_ROWS], wanted), wanted)
    out = _months(name, rows, start, columns, release_id)
    out["unit"] = [wanted[series].file_unit for series in out["series"]]
    order = sorted(range(len(out["month"])), key=lambda i: (out["series"][i], out["month"][i]))
    arrow = pa.table({key: [values[i] for i in order] for key, values in out.items()}, schema=ARROW_SCHEMA)
    return Edition(arrow, release_id, updated)


def read(source, catalog, timeout=30):
    """Return (Edition, kind) of a Pink Sheet workbook at a path or URL; raise SourceError naming the problem."""
    payload, _ = fetch(source, timeout=timeout)
    return parse(source, payload, catalog), "worldbank" if is_url(source) else "file"
