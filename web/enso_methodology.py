"""The ENSO section of /methodology: the rule, each country's window, NOAA's source and the ENSO releases."""
from data.queries import enso as enso_queries
from data.reference import enso_rule
from data.schema import WORLD

ONI_URL = "https://www.cpc.ncep.noaa.gov/data/indices/oni.ascii.txt"
ONI_PAGE = "https://origin.cpc.ncep.noaa.gov/products/analysis_monitoring/ensostuff/ONI_v5.php"


def context(names, commodity):
    """Return the section's facts of a commodity: rule, thresholds, windows by country (names: ISO3 -> name),
    releases."""
    windows = [{**row, "country": "World totals, and several countries on one chart" if row["code"] == WORLD
                else names.get(row["code"], row["code"])} for row in enso_rule.windows(commodity)]
    return {"rule": enso_rule.RULE, "threshold": enso_rule.THRESHOLD, "episode": enso_rule.EPISODE_SEASONS,
            "phase_min": enso_rule.PHASE_MIN_SEASONS, "windows": windows,
            "default_month": enso_rule.MONTHS[enso_rule.default_month(commodity) - 1],
            "default_why": "USDA's trade year of the commodity" if commodity.trade_year else "the ICO coffee year",
            "releases": enso_queries.releases().to_dict("records"), "oni_url": ONI_URL, "oni_page": ONI_PAGE}
