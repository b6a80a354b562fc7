"""Every SQL query the web app runs: bound parameters, allow-listed columns."""
import hashlib
from functools import wraps

import pandas as pd
from flask import current_app

from data.schema import COFFEE, WORLD, check_metric
from data.serving import ServingFile
from extensions import cache

EXTENSION_KEY = "beanflows_serving"


def init_app(app):
    """Attach the serving file reader to app."""
    app.extensions[EXTENSION_KEY] = ServingFile(app.config["BEANFLOWS_DATA_DIR"])


def serving():
    """Return the app's serving file reader."""
    return current_app.extensions[EXTENSION_KEY]


def cached(fn):
    """Cache fn's result by its arguments and the serving file version."""

    @wraps(fn)
    def wrapper(*args):
        store = serving()
        if not current_app.config.get("QUERY_CACHE_ENABLED", True):
            return fn(store, *args)
        digest = hashlib.sha1(repr(args).encode()).hexdigest()
        key = f"q:{fn.__name__}:{store.version()}:{digest}"
        result = cache.get(key)
        if result is None:
            result = fn(store, *args)
            cache.set(key, result)
        return result

    wrapper.uncached = fn
    return wrapper


def _metric_list(metrics):
    """Return validated metric column names joined for a SELECT list."""
    names = [check_metric(m) for m in metrics]
    if not names:
        raise ValueError("at least one metric is required")
    return ", ".join(names)


@cached
def load_info(store):
    """Return the latest load_metadata row as a dict."""
    row = store.fetchone(
        "SELECT source, source_kind, loaded_at, rows, snapshot_id "
        "FROM load_metadata ORDER BY loaded_at DESC, snapshot_id DESC LIMIT 1"
    )
    if row is None:
        return None
    keys = ("source", "source_kind", "loaded_at", "rows", "snapshot_id")
    return dict(zip(keys, row))


@cached
def commodities(store):
    """Return a frame of commodity_code, commodity and unit."""
    return store.query(
        "SELECT commodity_code, any_value(commodity) AS commodity, any_value(unit) AS unit "
        "FROM obt_commodity_metrics GROUP BY commodity_code ORDER BY commodity_code"
    )


@cached
def countries(store, commodity=COFFEE):
    """Return a frame of country_code, country and first/last market year."""
    return store.query(
        "SELECT country_code, any_value(country) AS country, "
        "min(market_year) AS first_year, max(market_year) AS last_year "
        "FROM obt_commodity_metrics WHERE commodity_code = ? "
        "GROUP BY country_code ORDER BY country",
        [commodity],
    )


@cached
def year_range(store, commodity=COFFEE):
    """Return (first, last) market year for commodity."""
    return store.fetchone(
        "SELECT min(market_year), max(market_year) FROM obt_world_metrics WHERE commodity_code = ?",
        [commodity],
    )


@cached
def world_series(store, metrics, start, end, commodity=COFFEE):
    """Return world totals of metrics by market year."""
    cols = _metric_list(metrics)
    return store.query(
        f"SELECT commodity_code, commodity, country_code, country, market_year, unit, {cols} "
        "FROM obt_world_metrics WHERE commodity_code = ? AND market_year BETWEEN ? AND ? "
        "ORDER BY market_year",
        [commodity, start, end],
    )


@cached
def country_series(store, metrics, country_codes, start, end, commodity=COFFEE):
    """Return metrics by country and market year for the given countries."""
    cols = _metric_list(metrics)
    codes = [c for c in country_codes if c != WORLD]
    return store.query(
        f"SELECT commodity_code, commodity, country_code, country, market_year, unit, {cols} "
        "FROM obt_commodity_metrics WHERE commodity_code = ? "
        "AND list_contains(?, country_code) AND market_year BETWEEN ? AND ? "
        "ORDER BY country_code, market_year",
        [commodity, codes, start, end],
    )


def series(metrics, country_codes, start, end, commodity=COFFEE):
    """Return metrics for countries and, when WORLD is listed, world totals."""
    frames = []
    if any(c != WORLD for c in country_codes):
        frames.append(country_series(tuple(metrics), tuple(country_codes), start, end, commodity))
    if WORLD in country_codes:
        frames.append(world_series(tuple(metrics), start, end, commodity))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


@cached
def top_countries(store, metric, year, limit, commodity=COFFEE):
    """Return the largest countries by metric in one market year."""
    col = check_metric(metric)
    return store.query(
        f"SELECT country_code, country, {col} AS value FROM obt_commodity_metrics "
        f"WHERE commodity_code = ? AND market_year = ? AND {col} IS NOT NULL "
        f"ORDER BY {col} DESC, country_code LIMIT ?",
        [commodity, year, int(limit)],
    )

