"""Fetch a PSD bulk file from a path or URL and open its CSV text."""
import io
import zipfile
from pathlib import Path

import requests


class SourceError(Exception):
    """A data source that cannot be read or fails validation."""


def fetch(source, timeout=30):
    """Return (bytes, kind) for a path or http(s) URL; kind is 'usda' or 'file'."""
    if str(source).startswith(("http://", "https://")):
        try:
            response = requests.get(source, timeout=timeout)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise SourceError(f"{source}: download failed: {exc}") from exc
        return response.content, "usda"
    path = Path(source)
    if not path.is_file():
        raise SourceError(f"{source}: no such file")
    return path.read_bytes(), "file"


def csv_text(name, payload):
    """Return the CSV text inside payload, unzipping when it is a zip archive."""
    if payload[:4] == b"PK\x03\x04" or str(name).lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
                if len(members) != 1:
                    raise SourceError(f"{name}: expected one CSV in the zip, found {len(members)}")
                payload = archive.read(members[0])
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
            raise SourceError(f"{name}: not a readable zip file ({exc})") from exc
        except (OSError, ValueError) as exc:  # zlib errors on a truncated member
            raise SourceError(f"{name}: zip member is corrupt ({exc})") from exc
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: not UTF-8 text ({exc})") from exc
