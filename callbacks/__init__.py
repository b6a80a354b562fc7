"""Dash callbacks, one module per page; importing registers them."""
from dash import _callback

from callbacks import admin, country, overview, production, supply, trade  # noqa: F401

# Dash moves global callbacks into the first app it serves; keep a copy so every
# app built by create_app (tests build several) gets them all.
_MAP = dict(_callback.GLOBAL_CALLBACK_MAP)
_LIST = list(_callback.GLOBAL_CALLBACK_LIST)


def restore():
    """Put every page callback back into Dash's global registry."""
    _callback.GLOBAL_CALLBACK_MAP.update(_MAP)
    if not _callback.GLOBAL_CALLBACK_LIST:
        _callback.GLOBAL_CALLBACK_LIST.extend(_LIST)
