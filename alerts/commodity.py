"""A saved view, alert rule or delivery naming no commodity is about the site's first, as a URL naming none."""
from sqlalchemy import event

from data.commodities.site import default
from models.alerts import AlertRule, Delivery, SavedView

MODELS = (SavedView, AlertRule, Delivery)


def _fill(_mapper, _connection, row):
    """Give a row about to be inserted without a commodity the site's default one."""
    if row.commodity_code is None:
        row.commodity_code = default().code


def listen():
    """Fill in the commodity of every new row of the models that carry one (once per process)."""
    for model in MODELS:
        if not event.contains(model, "before_insert", _fill):
            event.listen(model, "before_insert", _fill)
