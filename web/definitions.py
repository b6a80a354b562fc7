"""What each metric means, and the marketing years of the main producers (the methodology page's prose)."""
from data.reference.marketing_years import MARKETING_YEARS  # noqa: F401  (the main producers' marketing years)

# Serving column -> one-sentence definition, after USDA's PSD balance sheet for coffee.
DEFINITIONS = {
    "beginning_stocks": "Green-coffee stocks held at the start of the marketing year "
                        "(the previous year's ending stocks).",
    "production": "Harvested output in the marketing year, green-bean equivalent; "
                  "the sum of arabica, robusta and other.",
    "arabica_production": "Production of Coffea arabica.",
    "robusta_production": "Production of Coffea canephora (robusta).",
    "other_production": "Production USDA does not assign to arabica or robusta.",
    "imports": "All coffee imported, green-bean equivalent: bean, roast & ground and soluble imports together.",
    "bean_imports": "Imports of green beans.",
    "roast_ground_imports": "Imports of roasted and ground coffee, in green-bean equivalent.",
    "soluble_imports": "Imports of soluble (instant) coffee, in green-bean equivalent.",
    "total_supply": "Beginning stocks + production + imports.",
    "exports": "All coffee exported, green-bean equivalent: bean, roast & ground and soluble together.",
    "bean_exports": "Exports of green beans.",
    "roast_ground_exports": "Exports of roasted and ground coffee, in green-bean equivalent.",
    "soluble_exports": "Exports of soluble (instant) coffee, in green-bean equivalent.",
    "domestic_consumption": "Coffee used in the country in the marketing year, green-bean equivalent: "
                            "roast & ground plus soluble.",
    "roast_ground_dom_consumption": "Domestic consumption as roasted and ground coffee "
                                    "(USDA: \"Rst,Ground Dom. Consum\").",
    "soluble_dom_consumption": "Domestic consumption as soluble coffee (USDA: \"Soluble Dom. Cons.\").",
    "ending_stocks": "Stocks held at the end of the marketing year.",
    "total_distribution": "Exports + domestic consumption + ending stocks; equals total supply.",
}

# Derived columns: (name, formula for a country, formula for the world), as data/obt_sql.py computes them.
DERIVED = (
    ("net_exports", "exports − imports", "world exports − world imports"),
    ("stocks_to_use_pct",
     "100 × ending_stocks / (domestic_consumption + exports); empty where domestic_consumption + exports = 0",
     "100 × ending_stocks / domestic_consumption over the world sums (world exports are another country's "
     "imports, so they net out of use); empty where domestic_consumption = 0"),
)

PSD_DOWNLOAD = "https://apps.fas.usda.gov/psdonline/downloads/psd_coffee_csv.zip"
PSD_ONLINE = "https://apps.fas.usda.gov/psdonline/app/index.html#/app/downloads"
