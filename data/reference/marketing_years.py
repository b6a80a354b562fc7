"""The main producers' marketing years of the default commodity (shown on /methodology; the ENSO windows use them).

They are declared with the commodity (commodities/coffee.toml, `[[marketing_year.countries]]`), each from the
USDA FAS attaché (GAIN) report that names it; a country without a source shows as unverified.
"""
from data import commodities

# ISO3 -> (first month, last month, key of data/reference/documents.py or None).
MARKETING_YEARS = {c.iso3: (c.start, c.end, c.source) for c in commodities.shipped().default.marketing_year.countries}
