"""Fixed option lists shared by page layouts and their callbacks."""
from data.schema import METRIC_LABELS


def _options(metrics):
    """Return dropdown options labelled from the metric names."""
    return [{"label": METRIC_LABELS[m], "value": m} for m in metrics]


PRODUCTION_METRICS = _options(("production", "arabica_production", "robusta_production", "other_production"))
COUNTRY_METRICS = _options(("production", "domestic_consumption", "exports", "imports", "ending_stocks",
                            "stocks_to_use_pct"))
TRADE_FLOWS = [
    {"label": "All forms", "value": "total"},
    {"label": "Green beans", "value": "bean"},
    {"label": "Roast & ground", "value": "roast_ground"},
    {"label": "Soluble", "value": "soluble"},
]
# Flow choice -> (exports column, imports column).
TRADE_COLUMNS = {
    "total": ("exports", "imports"),
    "bean": ("bean_exports", "bean_imports"),
    "roast_ground": ("roast_ground_exports", "roast_ground_imports"),
    "soluble": ("soluble_exports", "soluble_imports"),
}
# Flow choice -> the domestic consumption its imports are measured against.
TRADE_CONSUMPTION = {
    "total": "domestic_consumption",
    "bean": "domestic_consumption",
    "roast_ground": "roast_ground_dom_consumption",
    "soluble": "soluble_dom_consumption",
}
# The ENSO shading toggle of production charts (in the URL as enso=shade only when on).
SHADE_OPTIONS = [{"label": "No shading", "value": "off"},
                 {"label": "Shade El Niño / La Niña years", "value": "shade"}]
