"""Conditional download of the World Bank's Pink Sheet (PRICES_URL): load it only when it changed since the last load."""
from data import commodities as declared
from data import pipeline_prices
from data.refresh import _fetch_if_changed, _save_state
from data.sources import prices


def refresh_prices(config, url=None, force=False, timeout=60, progress=None):
    """Fetch url (default PRICES_URL) if changed and load it; return the summary, or None on 304."""
    url = url or config["PRICES_URL"]
    payload, response_headers = _fetch_if_changed(config, url, timeout, progress or (lambda _step: None))
    if payload is None:
        return None
    edition = prices.parse(url, payload, declared.for_config(config))
    summary = pipeline_prices.store(config, edition, url, "worldbank", force=force)
    # Saved only after a successful load, so a refused file is fetched again next time.
    _save_state(config, url, response_headers)
    return summary
