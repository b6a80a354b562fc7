"""Parse and validate NOAA's Oceanic Niño Index file (oni.ascii.txt) into an Arrow table, or fail naming the problem."""
import hashlib
import math
from datetime import datetime, timezone

import pyarrow as pa

from data.sources.fetch import SourceError, fetch, is_url

HEADER = ("SEAS", "YR", "TOTAL", "ANOM")
# NOAA's overlapping 3-month seasons, in order; a season's year is the year of its middle month.
SEASONS = ("DJF", "JFM", "FMA", "MAM", "AMJ", "MJJ", "JJA", "JAS", "ASO", "SON", "OND", "NDJ")
FIRST_YEAR = 1950
# Plausible bounds: Niño-3.4 sea-surface temperatures and their anomalies (the record is about 24-30 °C, ±3 °C).
TOTAL_RANGE = (20.0, 33.0)
ANOM_RANGE = (-5.0, 5.0)
MAX_ERRORS = 10

ARROW_SCHEMA = pa.schema([
    pa.field("season", pa.string(), nullable=False),
    pa.field("year", pa.int32(), nullable=False),
    pa.field("season_index", pa.int32(), nullable=False),
    pa.field("total", pa.float64(), nullable=False),
    pa.field("oni", pa.float64(), nullable=False),
])


def season_end(season, year):
    """Return (year, month) of the last month of a season (NDJ 1950 ends in January 1951)."""
    month = SEASONS.index(season) + 2  # DJF (index 0) is centred on January and ends in February
    return (year + 1, month - 12) if month > 12 else (year, month)


def release_id(arrow):
    """Return the release id of a parsed file: YYYY-MM of the month its latest season ends."""
    year, month = season_end(arrow.column("season")[-1].as_py(), arrow.column("year")[-1].as_py())
    return f"{year:04d}-{month:02d}"


def content_hash(arrow):
    """Return a digest of the parsed values, independent of the file's spacing."""
    digest = hashlib.sha256()
    for row in zip(*(arrow.column(name).to_pylist() for name in ARROW_SCHEMA.names)):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _number(text, name, bounds):
    """Return a finite number within bounds, or raise ValueError naming the field."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} {text[:20]!r} is not a number") from None
    if not math.isfinite(value) or not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} {text[:20]!r} is outside the plausible range {bounds[0]:g} to {bounds[1]:g}")
    return value


def _check_header(name, lines):
    """Raise SourceError unless the first line is NOAA's header."""
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise SourceError(f"{name}: the file is empty")
    if first.lstrip().startswith("<"):
        raise SourceError(f"{name}: line 1: an HTML page, not NOAA's ONI file (an error page from the server?)")
    if tuple(first.split()) != HEADER:
        raise SourceError(f"{name}: line 1: expected the header '{' '.join(HEADER)}', found {first.strip()[:60]!r}")


def parse(name, text, max_year):
    """Return the seasons of an ONI file (text) as Arrow; raise SourceError listing the bad lines.

    Every year holds the 12 seasons in order from DJF 1950; the last year may stop early.
    Years after max_year are refused as implausible.
    """
    lines = text.splitlines()
    _check_header(name, lines)
    columns = {field: [] for field in ARROW_SCHEMA.names}
    errors, expected = [], (SEASONS[0], FIRST_YEAR)
    start = next(number for number, line in enumerate(lines) if line.strip())
    for line_no, line in enumerate(lines[start + 1:], start=start + 2):
        if not line.strip():
            continue
        problem = _check_line(line, expected, max_year, columns)
        if problem:
            errors.append(f"line {line_no}: {problem}")
            # Past a line out of sequence every later one would be too: report the first only.
            if len(errors) >= MAX_ERRORS or line.split()[:2] != [expected[0], str(expected[1])]:
                break
        index = SEASONS.index(expected[0])
        expected = (SEASONS[(index + 1) % 12], expected[1] + (index == 11))
    if errors:
        raise SourceError(f"{name}: " + "; ".join(errors))
    if not columns["season"]:
        raise SourceError(f"{name}: no seasons after the header")
    return pa.table(columns, schema=ARROW_SCHEMA)


def _check_line(line, expected, max_year, columns):
    """Append one season's values to columns and return None, or return what is wrong with the line."""
    fields = line.split()
    if len(fields) != len(HEADER):
        return f"expected {len(HEADER)} fields (SEAS YR TOTAL ANOM), found {len(fields)}"
    season, year = fields[0], fields[1]
    if season not in SEASONS:
        return f"unknown season {season[:10]!r}"
    if not year.isdigit():
        return f"YR {year[:10]!r} is not a year"
    if not FIRST_YEAR <= int(year) <= max_year:
        return f"YR {year} is outside {FIRST_YEAR}-{max_year}"
    if (season, int(year)) != expected:
        return f"expected {expected[0]} {expected[1]}, found {season} {year} (a season missing or out of order)"
    try:
        total, anom = _number(fields[2], "TOTAL", TOTAL_RANGE), _number(fields[3], "ANOM", ANOM_RANGE)
    except ValueError as exc:
        return str(exc)
    for key, value in (("season", season), ("year", int(year)), ("season_index", SEASONS.index(season) + 1),
                       ("total", total), ("oni", anom)):
        columns[key].append(value)
    return None


def read(source, timeout=30):
    """Return (Arrow seasons, kind) of an ONI file at a path or URL; raise SourceError naming the problem."""
    payload, _ = fetch(source, timeout=timeout)
    return parse_payload(source, payload), "noaa" if is_url(source) else "file"


def parse_payload(source, payload):
    """Return the Arrow seasons of a downloaded or read ONI file."""
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{source}: not a text file ({exc})") from exc
    return parse(source, text, max_year=datetime.now(timezone.utc).year + 1)
