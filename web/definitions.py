"""What each metric means (the methodology page's prose)."""

# Serving column -> one-sentence definition, after USDA's PSD balance sheets. Shared columns are worded for
# every commodity; a commodity's own columns (coffee's forms, grains' feed and trade-year trade) only it serves.
DEFINITIONS = {
    "beginning_stocks": "Stocks held at the start of the marketing year (the previous year's ending stocks).",
    "production": "Harvested output in the marketing year (coffee: green-bean equivalent, the sum of arabica, "
                  "robusta and other; rice: milled).",
    "arabica_production": "Production of Coffea arabica.",
    "robusta_production": "Production of Coffea canephora (robusta).",
    "other_production": "Production USDA does not assign to arabica or robusta.",
    "imports": "Everything imported in the country's marketing year (coffee: green-bean equivalent of bean, "
               "roast & ground and soluble imports together).",
    "bean_imports": "Imports of green beans.",
    "roast_ground_imports": "Imports of roasted and ground coffee, in green-bean equivalent.",
    "soluble_imports": "Imports of soluble (instant) coffee, in green-bean equivalent.",
    "total_supply": "Beginning stocks + production + imports.",
    "exports": "Everything exported in the country's marketing year (coffee: green-bean equivalent of bean, "
               "roast & ground and soluble exports together).",
    "bean_exports": "Exports of green beans.",
    "roast_ground_exports": "Exports of roasted and ground coffee, in green-bean equivalent.",
    "soluble_exports": "Exports of soluble (instant) coffee, in green-bean equivalent.",
    "domestic_consumption": "Use in the country in the marketing year (coffee: roast & ground plus soluble; "
                            "grains: feed and residual plus food, seed and industrial use).",
    "roast_ground_dom_consumption": "Domestic consumption as roasted and ground coffee "
                                    "(USDA: \"Rst,Ground Dom. Consum\").",
    "soluble_dom_consumption": "Domestic consumption as soluble coffee (USDA: \"Soluble Dom. Cons.\").",
    "ending_stocks": "Stocks held at the end of the marketing year.",
    "total_distribution": "Exports + domestic consumption + ending stocks; equals total supply.",
    "area_harvested": "Area harvested in the marketing year.",
    "yield": "Production per hectare harvested; a world or regional yield is summed production over summed area.",
    "feed_dom_consumption": "Feed and residual use: grain fed to animals, and what the balance sheet leaves over.",
    "fsi_consumption": "Food, seed and industrial use.",
    "ty_imports": "Imports in PSD's common trade year (TY), the same twelve months for every country.",
    "ty_exports": "Exports in PSD's common trade year (TY), the same twelve months for every country.",
    "ty_imp_from_us": "Trade-year imports from the United States.",
    "rough_production": "Rice production before milling (paddy, rough basis).",
    "milling_rate": "Milled rice as a share of rough rice.",
}

# Derived columns: (name, formula for a country, formula for the world), as data/obt_sql.py computes them.
DERIVED = (
    ("net_exports", "exports − imports", "world exports − world imports"),
    ("stocks_to_use_pct",
     "100 × ending_stocks / (domestic_consumption + exports); empty where domestic_consumption + exports = 0",
     "100 × ending_stocks / domestic_consumption over the world sums (world exports are another country's "
     "imports, so they net out of use); empty where domestic_consumption = 0"),
)

PSD_ONLINE = "https://apps.fas.usda.gov/psdonline/app/index.html#/app/downloads"
