"""Names shared by every stage: the default commodity's metrics, PSD's units and columns, the serving file."""

from data import commodities

_SHIPPED = commodities.shipped()

# The default commodity (the first declared, coffee) and its metrics: what callers that name no commodity mean.
# Every layer that serves several commodities reads them from data/commodities instead.
COFFEE = _SHIPPED.default.code
ATTRIBUTES = _SHIPPED.default.attribute_ids
BASE_METRICS = _SHIPPED.default.metrics
DERIVED_METRICS = commodities.DERIVED_METRICS
METRICS = BASE_METRICS + DERIVED_METRICS
# Labels of every metric a shipped commodity serves.
METRIC_LABELS = dict(_SHIPPED.labels)
# Metrics whose yearly ranks among countries the export precomputes (obt_country_ranks).
RANKED_METRICS = ("production", "exports", "imports")

# USDA PSD unit descriptions accepted on ingest.
UNITS = frozenset({
    "(1000 60 KG BAGS)",
    "(1000 MT)",
    "(1000 HA)",
    "(MT/HA)",
    "(1000 480 LB BALES)",
    "(1000 HEAD)",
    "(1000 TREES)",
    "(PERCENT)",
    "(1000 MT CWE)",
})

# Tonnes per unit of each commodity unit, for the units toggle.
TONNES_PER_UNIT = {"(1000 60 KG BAGS)": 60.0, "(1000 MT)": 1000.0}

WORLD = "WORLD"

RAW_COLUMNS = (
    "Commodity_Code",
    "Commodity_Description",
    "Country_Code",
    "Country_Name",
    "Market_Year",
    "Calendar_Year",
    "Month",
    "Attribute_ID",
    "Attribute_Description",
    "Unit_ID",
    "Unit_Description",
    "Value",
)
REQUIRED_COLUMNS = tuple(c for c in RAW_COLUMNS if c not in {"Calendar_Year", "Month"})


def check_metric(name):
    """Return name if some declared commodity serves it as a column, else raise ValueError."""
    return commodities.current().check_metric(name)


# ISO3 codes for countries the ISO3 copy of the bulk file lists without a code
# (data/countries.py maps them by name the same way).
FALLBACK_COUNTRY_CODES = {
    "Congo (Brazzaville)": "COG",
    "Congo (Kinshasa)": "COD",
    "Cote d'Ivoire": "CIV",
    "European Union": "EU",
    "Korea, South": "KOR",
    "Kosovo": "XKX",
    "Russia": "RUS",
    "Turkey": "TUR",
    "Yemen (Sanaa)": "XYS",  # YEM is Yemen, listed separately
}


# The serving DuckDB file inside BEANFLOWS_DATA_DIR.
SERVING_NAME = "serving.duckdb"

# World totals a load may not move by more than RELEASE_MAX_WORLD_CHANGE without --force:
# production, imports, exports, domestic consumption, ending stocks.
GUARDED_ATTRIBUTES = (28, 57, 88, 125, 176)
