"""Read a PSD bulk CSV (or the zip holding it) into an Arrow table of text columns, as fast as the disk allows."""
import io
import zipfile
import zlib

import pyarrow as pa
import pyarrow.csv as pacsv

from data.schema import REQUIRED_COLUMNS
from data.sources.fetch import SourceError

MAX_ERRORS = 10
BLOCK = 8 << 20


def csv_bytes(name, payload):
    """Return the CSV bytes of payload, unzipping it when it is a zip archive holding one CSV."""
    if isinstance(payload, str):
        return payload.encode()
    if payload[:4] != b"PK\x03\x04" and not str(name).lower().endswith(".zip"):
        return payload
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
        members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
        if len(members) != 1:
            raise SourceError(f"{name}: expected one CSV in the zip, found {len(members)}")
        return archive.read(members[0])
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, zlib.error, OSError) as exc:
        raise SourceError(f"{name}: not a readable zip file ({exc})") from exc


def _header(name, data):
    """Return the header's column names; raise SourceError for an empty file or missing columns."""
    start = len(data) - len(data.lstrip(b"\xef\xbb\xbf\r\n"))
    first = data[start:data.find(b"\n", start) if b"\n" in data[start:] else len(data)].rstrip(b"\r")
    if not first.strip(b" ,\t"):
        raise SourceError(f"{name}: the file is empty")
    try:
        header = [h.strip().strip('"').strip() for h in first.decode("utf-8").split(",")]
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: the file is unreadable ({exc})") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SourceError(f"{name}: line 1: missing column(s) {', '.join(missing)}")
    return header


def read(name, data):
    """Return (Arrow table of every column as text, plus idx: the row's position) for CSV bytes.

    Raise SourceError naming the lines whose number of fields is wrong (at most MAX_ERRORS).
    """
    header = _header(name, data)
    bad = []

    def invalid(row):
        bad.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(block_size=BLOCK, column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise SourceError(f"{name}: the file is unreadable ({str(exc).splitlines()[0][:200]})") from exc
    if bad:
        raise SourceError(f"{name}: " + "; ".join(_field_count_errors(data, bad, len(header))))
    return table.append_column("idx", pa.array(range(table.num_rows), pa.int64()))


def _field_count_errors(data, bad, expected):
    """Return 'line N: expected E fields, found F' for the first rows pyarrow could not split."""
    wanted = {row.text.rstrip("\r"): row.actual_columns for row in bad[:MAX_ERRORS]}
    found = []
    for number, line in enumerate(data.decode("utf-8", "replace").split("\n"), start=1):
        text = line.rstrip("\r")
        if text in wanted:
            found.append(f"line {number}: expected {expected} fields, found {wanted[text]}")
            if len(found) == len(wanted):
                break
    return found


def line_numbers(data, indexes):
    """Return {row idx: line number in the file} for the rows asked for (the error path only)."""
    wanted, found, row = set(indexes), {}, -1
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip(b"\r"):
            continue
        if row >= 0 and row in wanted:
            found[row] = number
        row += 1
        if len(found) == len(wanted):
            break
    return found
