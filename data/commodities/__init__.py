"""Commodities as declarations: every layer reads the declared commodities through this module.

`current()` is the catalog of the running app (checked at start by `init_app`), or the shipped one outside an
app; `for_config(config)` the catalog a data-layer call with a config dict loads. A deployment (or a test) may
name other declaration folders in `COMMODITY_DECLARATIONS` (a list of paths, the shipped folder included or not).
"""
from flask import current_app, has_app_context

import registry
from data.commodities.catalog import SHIPPED, Catalog, load
from data.commodities.model import DERIVED_METRICS, Commodity
from data.commodities.reader import DeclarationError, UnknownCommodity

__all__ = ["SHIPPED", "Catalog", "Commodity", "DeclarationError", "DERIVED_METRICS", "UnknownCommodity", "current",
           "for_config", "init_app", "shipped"]

SETTING = "COMMODITY_DECLARATIONS"


def shipped():
    """Return the catalog of the shipped declarations (commodities/)."""
    return load()


def folders(config):
    """Return the declaration folders a config names, as a tuple of paths (default: the shipped folder)."""
    named = config.get(SETTING) if config else None
    if not named:
        return (str(SHIPPED),)
    if isinstance(named, str):
        named = [part for part in named.split(",") if part.strip()]
    return tuple(str(part).strip() for part in named)


def for_config(config):
    """Return the catalog of the declarations a config names."""
    return load(folders(config))


def init_app(app):
    """Load and check the app's declarations (an incomplete one stops start-up naming it and the field)."""
    registry.of(app).commodities = for_config(app.config)


def current():
    """Return the running app's catalog, or the shipped one outside an app."""
    found = registry.of(current_app).commodities if has_app_context() else None
    return found or shipped()
