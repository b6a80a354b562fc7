"""The prices section of /methodology: each declared series, the market-year average, the fit and the editions."""
from data.queries import price_fit
from data.queries import prices as price_queries
from data.reference import price_years
from data.reference.documents import SOURCES

PINK_SHEET = SOURCES["worldbank-pink-sheet"]


def context(commodity):
    """Return the section's facts of a commodity: its series (none: no price charts), rules and loaded editions."""
    _, average = price_years.start(commodity)
    loaded = bool(commodity.prices) and price_queries.prices_loaded()
    return {"series": [{"slug": p.slug, "name": p.name, "series": p.series.strip(), "code": p.code,
                        "description": p.description, "file_unit": p.file_unit, "display_unit": p.display_unit,
                        "conversion": p.text} for p in commodity.prices],
            "average": average, "attribution": price_years.ATTRIBUTION, "url": PINK_SHEET.url,
            "model": price_fit.MODEL, "min_years": price_fit.MIN_YEARS, "level": round(price_fit.LEVEL * 100),
            "releases": price_queries.price_releases().to_dict("records") if loaded else [], "loaded": loaded}
