"""Fetch a PSD bulk file from a path or URL and open its CSV text as a stream."""
import io
import zipfile
import zlib
from pathlib import Path

import requests


class SourceError(Exception):
    """A data source that cannot be read or fails validation."""


def is_url(source):
    """Return True when source is an http(s) URL."""
    return str(source).startswith(("http://", "https://"))


def fetch(source, timeout=30):
    """Return (bytes, kind) for a path or http(s) URL; kind is 'usda' or 'file'."""
    if is_url(source):
        payload, _ = download(source, timeout=timeout)
        return payload, "usda"
    path = Path(source)
    if not path.is_file():
        raise SourceError(f"{source}: no such file")
    return path.read_bytes(), "file"


def download(url, timeout=30, headers=None, progress=None):
    """GET url; return (bytes or None on 304 Not Modified, response headers)."""
    try:
        with requests.get(url, timeout=timeout, headers=headers or {}, stream=True) as response:
            if response.status_code == 304:
                return None, response.headers
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_content(chunk_size=1 << 20):
                chunks.append(chunk)
                size += len(chunk)
                if progress:
                    progress(size)
            return b"".join(chunks), response.headers
    except requests.RequestException as exc:
        raise SourceError(f"{url}: download failed: {exc}") from exc


def open_csv(name, payload):
    """Return a text stream of the CSV in payload, unzipping when it is a zip archive."""
    if payload[:4] == b"PK\x03\x04" or str(name).lower().endswith(".zip"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(payload))
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
            if len(members) != 1:
                raise SourceError(f"{name}: expected one CSV in the zip, found {len(members)}")
            return io.TextIOWrapper(archive.open(members[0]), encoding="utf-8-sig", newline="")
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
            raise SourceError(f"{name}: not a readable zip file ({exc})") from exc
    return io.TextIOWrapper(io.BytesIO(payload), encoding="utf-8-sig", newline="")


# Raised while reading a stream from open_csv: bad bytes, or a corrupt zip member.
READ_ERRORS = (UnicodeDecodeError, zipfile.BadZipFile, EOFError, OSError, zlib.error)
