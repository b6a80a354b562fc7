"""Country -> region table: continents and ICO producer groups, keyed by the product's ISO3 codes."""

AFRICA, ASIA, EUROPE, OCEANIA = "Africa", "Asia", "Europe", "Oceania"
NORTH_AMERICA, CENTRAL_AMERICA, SOUTH_AMERICA = "North America", "Central America and the Caribbean", "South America"
ICO_AFRICA, ICO_ASIA = "ICO Africa", "ICO Asia and Oceania"
ICO_MEXICO, ICO_SOUTH_AMERICA = "ICO Mexico and Central America", "ICO South America"
# A code no row below names (an unknown USDA code loaded as X + the code) belongs here: it still counts
# in world totals, and continents plus Unassigned add up to the world.
UNASSIGNED = "Unassigned"

CONTINENTS = (AFRICA, ASIA, EUROPE, NORTH_AMERICA, CENTRAL_AMERICA, SOUTH_AMERICA, OCEANIA)
ICO_GROUPS = (ICO_AFRICA, ICO_ASIA, ICO_MEXICO, ICO_SOUTH_AMERICA)
REGIONS = CONTINENTS + (UNASSIGNED,) + ICO_GROUPS
PREFIX = "REGION:"

# ISO3 -> (continent, ICO producer group or None).
# Continents follow the UN Statistics Division's M49 regions (Africa, Asia, Europe, Oceania), with the
# Americas split into Northern America, Central America (Mexico included) with the Caribbean, and South
# America. M49 lists neither Taiwan (Asia here) nor Kosovo (Europe); the EU is one entity, in Europe.
# ICO groups: the International Coffee Organization's four regions of exporting countries, as in its
# historical statistics ("Total production by all exporting countries", ico.org) and its Coffee Market
# Reports: Africa, Asia & Oceania, Mexico & Central America, South America. Importing and non-member
# countries belong to no group. The ICO counts the Caribbean producers with Mexico & Central America;
# Trinidad and Tobago, an exporting member under earlier Agreements, goes with them. Yemen (Sanaa),
# the former North Yemen, grew the coffee the ICO reports for Yemen.
COUNTRY_REGIONS = {
    "AGO": (AFRICA, ICO_AFRICA), "BDI": (AFRICA, ICO_AFRICA), "BEN": (AFRICA, ICO_AFRICA),
    "CAF": (AFRICA, ICO_AFRICA), "CIV": (AFRICA, ICO_AFRICA), "CMR": (AFRICA, ICO_AFRICA),
    "COD": (AFRICA, ICO_AFRICA), "COG": (AFRICA, ICO_AFRICA), "ETH": (AFRICA, ICO_AFRICA),
    "GAB": (AFRICA, ICO_AFRICA), "GHA": (AFRICA, ICO_AFRICA), "GIN": (AFRICA, ICO_AFRICA),
    "GNQ": (AFRICA, ICO_AFRICA), "KEN": (AFRICA, ICO_AFRICA), "LBR": (AFRICA, ICO_AFRICA),
    "MDG": (AFRICA, ICO_AFRICA), "MWI": (AFRICA, ICO_AFRICA), "NGA": (AFRICA, ICO_AFRICA),
    "RWA": (AFRICA, ICO_AFRICA), "SLE": (AFRICA, ICO_AFRICA), "TGO": (AFRICA, ICO_AFRICA),
    "TZA": (AFRICA, ICO_AFRICA), "UGA": (AFRICA, ICO_AFRICA), "ZMB": (AFRICA, ICO_AFRICA),
    "ZWE": (AFRICA, ICO_AFRICA),
    "DZA": (AFRICA, None), "EGY": (AFRICA, None), "MAR": (AFRICA, None), "SEN": (AFRICA, None),
    "ZAF": (AFRICA, None),
    "IDN": (ASIA, ICO_ASIA), "IND": (ASIA, ICO_ASIA), "LAO": (ASIA, ICO_ASIA), "LKA": (ASIA, ICO_ASIA),
    "MYS": (ASIA, ICO_ASIA), "PHL": (ASIA, ICO_ASIA), "THA": (ASIA, ICO_ASIA), "VNM": (ASIA, ICO_ASIA),
    "YEM": (ASIA, ICO_ASIA), "XYS": (ASIA, ICO_ASIA),
    "ARM": (ASIA, None), "CHN": (ASIA, None), "GEO": (ASIA, None), "IRN": (ASIA, None), "JOR": (ASIA, None),
    "JPN": (ASIA, None), "KAZ": (ASIA, None), "KOR": (ASIA, None), "SAU": (ASIA, None), "SGP": (ASIA, None),
    "TUR": (ASIA, None), "TWN": (ASIA, None),
    "PNG": (OCEANIA, ICO_ASIA), "AUS": (OCEANIA, None), "NCL": (OCEANIA, None), "NZL": (OCEANIA, None),
    "ALB": (EUROPE, None), "BIH": (EUROPE, None), "CHE": (EUROPE, None), "EU": (EUROPE, None),
    "GBR": (EUROPE, None), "HRV": (EUROPE, None), "MKD": (EUROPE, None), "MNE": (EUROPE, None),
    "NOR": (EUROPE, None), "RUS": (EUROPE, None), "SRB": (EUROPE, None), "UKR": (EUROPE, None),
    "XKX": (EUROPE, None),
    "CAN": (NORTH_AMERICA, None), "USA": (NORTH_AMERICA, None),
    "CRI": (CENTRAL_AMERICA, ICO_MEXICO), "CUB": (CENTRAL_AMERICA, ICO_MEXICO), "DOM": (CENTRAL_AMERICA, ICO_MEXICO),
    "GTM": (CENTRAL_AMERICA, ICO_MEXICO), "HND": (CENTRAL_AMERICA, ICO_MEXICO), "HTI": (CENTRAL_AMERICA, ICO_MEXICO),
    "JAM": (CENTRAL_AMERICA, ICO_MEXICO), "MEX": (CENTRAL_AMERICA, ICO_MEXICO), "NIC": (CENTRAL_AMERICA, ICO_MEXICO),
    "PAN": (CENTRAL_AMERICA, ICO_MEXICO), "SLV": (CENTRAL_AMERICA, ICO_MEXICO), "TTO": (CENTRAL_AMERICA, ICO_MEXICO),
    "BOL": (SOUTH_AMERICA, ICO_SOUTH_AMERICA), "BRA": (SOUTH_AMERICA, ICO_SOUTH_AMERICA),
    "COL": (SOUTH_AMERICA, ICO_SOUTH_AMERICA), "ECU": (SOUTH_AMERICA, ICO_SOUTH_AMERICA),
    "GUY": (SOUTH_AMERICA, ICO_SOUTH_AMERICA), "PER": (SOUTH_AMERICA, ICO_SOUTH_AMERICA),
    "PRY": (SOUTH_AMERICA, ICO_SOUTH_AMERICA), "VEN": (SOUTH_AMERICA, ICO_SOUTH_AMERICA),
    "ARG": (SOUTH_AMERICA, None), "CHL": (SOUTH_AMERICA, None), "URY": (SOUTH_AMERICA, None),
}

_BY_NAME = {name.casefold(): name for name in REGIONS}


def continent(code):
    """Return the continent of a country code; Unassigned for a code the table does not hold."""
    return COUNTRY_REGIONS.get(code, (UNASSIGNED, None))[0]


def ico_group(code):
    """Return the ICO producer group of a country code, or None."""
    return COUNTRY_REGIONS.get(code, (UNASSIGNED, None))[1]


def members(region):
    """Return the sorted country codes the table puts in region (Unassigned: none it knows)."""
    return tuple(sorted(code for code, groups in COUNTRY_REGIONS.items() if region in groups))


def membership():
    """Return (regions, codes): two parallel lists pairing every region with each of its known members."""
    pairs = [(region, code) for code, groups in sorted(COUNTRY_REGIONS.items()) for region in groups if region]
    return [r for r, _ in pairs], [c for _, c in pairs]


def name_of(value):
    """Return the region a name or a REGION:<name> code means (any case), or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text[:len(PREFIX)].upper() == PREFIX:
        text = text[len(PREFIX):]
    return _BY_NAME.get(text.strip().casefold())


def is_region(value):
    """Return True for a REGION:<name> code naming a known region."""
    return isinstance(value, str) and value[:len(PREFIX)].upper() == PREFIX and name_of(value) is not None


def code(region):
    """Return the product's code of a region: REGION:<name>."""
    return PREFIX + region
