"""Conditional download of USDA's (and NOAA's ONI) file: load it only when it changed since the last load."""
import json
from pathlib import Path

from data import commodities as declared
from data import pipeline
from data.sources import enso, prices
from data.sources.psd import parse_payload
from data.sources.fetch import download

STATE_NAME = "refresh_state.json"


def _state_path(config):
    """Return the file keeping the last download's validators."""
    return Path(config["BEANFLOWS_DATA_DIR"]) / STATE_NAME


def read_state(config):
    """Return the saved {url: {etag, last_modified}} validators."""
    path = _state_path(config)
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _save_state(config, url, headers):
    """Keep the ETag and Last-Modified of url's latest download."""
    state = read_state(config)
    state[url] = {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
    path = _state_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(path)


def _fetch_if_changed(config, url, timeout, say):
    """GET url with the validators of its last successful load; return (bytes or None on 304, headers)."""
    seen = read_state(config).get(url, {})
    headers = {}
    if seen.get("etag"):
        headers["If-None-Match"] = seen["etag"]
    if seen.get("last_modified"):
        headers["If-Modified-Since"] = seen["last_modified"]
    say(f"checking {url}")
    return download(url, timeout=timeout, headers=headers,
                    progress=lambda size: say(f"downloaded {size / 1e6:.1f} MB"))


def refresh(config, url=None, commodities=None, force=False, timeout=30, progress=None):
    """Fetch url (default PSD_SOURCE_URL) if changed and load it; return the load summary, or None on 304."""
    url = url or config["PSD_SOURCE_URL"]
    say = progress or (lambda _step: None)
    payload, response_headers = _fetch_if_changed(config, url, timeout, say)
    if payload is None:
        return None
    say("validating")
    arrow = parse_payload(url, payload, progress=progress, commodities=commodities,
                          catalog=declared.for_config(config))
    del payload
    say("storing and exporting")
    summary = pipeline.store(config, arrow, url, "usda", force=force, progress=progress)
    # Saved only after a successful load, so a refused or failed file is fetched again next time.
    _save_state(config, url, response_headers)
    return summary


def refresh_enso(config, url=None, force=False, timeout=30, progress=None):
    """Fetch NOAA's ONI file (default ENSO_SOURCE_URL) if changed and load it; return the summary, or None on 304."""
    url = url or config["ENSO_SOURCE_URL"]
    payload, response_headers = _fetch_if_changed(config, url, timeout, progress or (lambda _step: None))
    if payload is None:
        return None
    summary = pipeline.store_enso(config, enso.parse_payload(url, payload), url, "noaa", force=force)
    _save_state(config, url, response_headers)
    return summary


def refresh_prices(config, url=None, force=False, timeout=60, progress=None):
    """Fetch url (default PRICES_URL) if changed and load it; return the summary, or None on 304."""
    url = url or config["PRICES_URL"]
    payload, response_headers = _fetch_if_changed(config, url, timeout, progress or (lambda _step: None))
    if payload is None:
        return None
    edition = prices.parse(url, payload, declared.for_config(config))
    summary = pipeline.store_prices(config, edition, url, "worldbank", force=force)
    # Saved only after a successful load, so a refused file is fetched again next time.
    _save_state(config, url, response_headers)
    return summary
