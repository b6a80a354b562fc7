"""The main producers' marketing years (shown on /methodology; the ENSO windows are built on them)."""

# ISO3 -> (first month, last month, key of data/sources.py or None) of the marketing year of the main
# producers, each from the USDA FAS attaché (GAIN) Coffee Annual that names it. None: no USDA text read
# names it, and /methodology shows the row as unverified (Colombia, Indonesia and Uganda).
MARKETING_YEARS = {
    "BRA": ("July", "June", "gain-br2021-0020"),
    "VNM": ("October", "September", "gain-vn1038"),
    "COL": ("October", "September", None),
    "IDN": ("April", "March", None),
    "ETH": ("October", "September", "gain-et-2020"),
    "HND": ("October", "September", "gain-ho-2014"),
    "UGA": ("October", "September", None),
    "IND": ("October", "September", "gain-in-2020"),
    "PER": ("April", "March", "gain-pe-2014"),
    "MEX": ("October", "September", "gain-mx2021-0027"),
    "GTM": ("October", "September", "gain-gt2019005"),
}
