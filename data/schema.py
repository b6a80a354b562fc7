"""Names shared by ingest, export and queries: attributes, metrics, units."""

COFFEE = "0711100"

# USDA PSD attribute id -> serving column.
ATTRIBUTES = {
    20: "beginning_stocks",
    28: "production",
    29: "arabica_production",
    53: "robusta_production",
    56: "other_production",
    57: "imports",
    58: "bean_imports",
    75: "roast_ground_imports",
    82: "soluble_imports",
    86: "total_supply",
    88: "exports",
    90: "bean_exports",
    107: "roast_ground_exports",
    114: "soluble_exports",
    125: "domestic_consumption",
    141: "roast_ground_dom_consumption",
    154: "soluble_dom_consumption",
    176: "ending_stocks",
    178: "total_distribution",
}

BASE_METRICS = tuple(ATTRIBUTES.values())
DERIVED_METRICS = ("net_exports", "stocks_to_use_pct")
METRICS = BASE_METRICS + DERIVED_METRICS
# Metrics whose yearly ranks among countries the export precomputes (obt_country_ranks).
RANKED_METRICS = ("production", "exports", "imports")

METRIC_LABELS = {
    "beginning_stocks": "Beginning stocks",
    "production": "Production",
    "arabica_production": "Arabica production",
    "robusta_production": "Robusta production",
    "other_production": "Other production",
    "imports": "Imports",
    "bean_imports": "Bean imports",
    "roast_ground_imports": "Roast & ground imports",
    "soluble_imports": "Soluble imports",
    "total_supply": "Total supply",
    "exports": "Exports",
    "bean_exports": "Bean exports",
    "roast_ground_exports": "Roast & ground exports",
    "soluble_exports": "Soluble exports",
    "domestic_consumption": "Domestic consumption",
    "roast_ground_dom_consumption": "Roast & ground consumption",
    "soluble_dom_consumption": "Soluble consumption",
    "ending_stocks": "Ending stocks",
    "total_distribution": "Total distribution",
    "net_exports": "Net exports",
    "stocks_to_use_pct": "Stocks-to-use (%)",
}

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
    """Return name if it is a known metric column, else raise ValueError."""
    if name not in METRICS:
        raise ValueError(f"unknown metric {name!r}")
    return name


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

# The unit each attribute of a commodity must be in; a file in another unit is refused.
COMMODITY_UNITS = {COFFEE: {attr_id: "(1000 60 KG BAGS)" for attr_id in ATTRIBUTES}}

# World totals a load may not move by more than RELEASE_MAX_WORLD_CHANGE without --force:
# production, imports, exports, domestic consumption, ending stocks.
GUARDED_ATTRIBUTES = (28, 57, 88, 125, 176)
