"""Decide whether a `next` target is a path on this site."""
from urllib.parse import urlsplit

HOME = "/dashboards/overview"  # where a sign-in lands without a `next`


def safe_next(target):
    """Return target when it is a local path, else None."""
    if not isinstance(target, str) or not target.startswith("/"):
        return None
    # Browsers read "\" as "/" and drop tabs and newlines, so "/\evil.com" is "//evil.com".
    if "\\" in target or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target):
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
