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
# ICO groups: the International Coffee Organization's four regions of exporting countries, named in its
# reports (Africa, Asia & Oceania, Mexico & Central America, South America; ICO, Coffee Report and
# Outlook, December 2023). A country is in the group of its continent when a document read lists it
# as an ICO exporting country (ICO_SOURCES below, the documents in data/sources.py); the rest are kept
# where they were and shown as unverified on /methodology. Importing and non-member countries belong
# to no group. Malaysia is in none: no ICO document read lists it as an exporting country. Benin is in
# ICO Africa: ICC 106-3 (2011) lists it among the exporting Members, the 1968 Agreement as Dahomey.
# Where the Caribbean producers and Guyana sit (here with Mexico & Central America, and South America)
# no document read confirms: PLACEMENT_UNVERIFIED.
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
    "MYS": (ASIA, None), "PHL": (ASIA, ICO_ASIA), "THA": (ASIA, ICO_ASIA), "VNM": (ASIA, ICO_ASIA),
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
    # The grains file's other reporters (no ICO group: they export no coffee PSD counts).
    "BWA": (AFRICA, None), "BFA": (AFRICA, None), "CPV": (AFRICA, None), "TCD": (AFRICA, None),
    "DJI": (AFRICA, None), "ERI": (AFRICA, None), "GMB": (AFRICA, None), "GNB": (AFRICA, None),
    "LSO": (AFRICA, None), "LBY": (AFRICA, None), "MLI": (AFRICA, None), "MRT": (AFRICA, None),
    "MUS": (AFRICA, None), "MOZ": (AFRICA, None), "NAM": (AFRICA, None), "NER": (AFRICA, None),
    "REU": (AFRICA, None), "SOM": (AFRICA, None), "SSD": (AFRICA, None), "SDN": (AFRICA, None),
    "SWZ": (AFRICA, None), "TUN": (AFRICA, None),
    "AFG": (ASIA, None), "AZE": (ASIA, None), "BHR": (ASIA, None), "BGD": (ASIA, None), "BTN": (ASIA, None),
    "BRN": (ASIA, None), "MMR": (ASIA, None), "KHM": (ASIA, None), "CYP": (ASIA, None), "HKG": (ASIA, None),
    "IRQ": (ASIA, None), "ISR": (ASIA, None), "KWT": (ASIA, None), "KGZ": (ASIA, None), "LBN": (ASIA, None),
    "MAC": (ASIA, None), "MNG": (ASIA, None), "NPL": (ASIA, None), "PRK": (ASIA, None), "OMN": (ASIA, None),
    "PAK": (ASIA, None), "QAT": (ASIA, None), "SYR": (ASIA, None), "TJK": (ASIA, None), "TKM": (ASIA, None),
    "ARE": (ASIA, None), "UZB": (ASIA, None), "YMD": (ASIA, None),
    "BLR": (EUROPE, None), "BGR": (EUROPE, None), "CZE": (EUROPE, None), "EST": (EUROPE, None),
    "HUN": (EUROPE, None), "ISL": (EUROPE, None), "LVA": (EUROPE, None), "LTU": (EUROPE, None),
    "MLT": (EUROPE, None), "MDA": (EUROPE, None), "POL": (EUROPE, None), "ROU": (EUROPE, None),
    "SVK": (EUROPE, None), "SVN": (EUROPE, None),
    # Reporters that are not countries today (data/reference/reporters.py): the USSR with Europe, as M49 puts
    # Russia, its largest part.
    "EU15": (EUROPE, None), "SUN": (EUROPE, None), "CSK": (EUROPE, None), "YUG": (EUROPE, None),
    "SCG": (EUROPE, None),
    "BRB": (CENTRAL_AMERICA, None), "SUR": (SOUTH_AMERICA, None), "FJI": (OCEANIA, None),
}
# Which regions each grouping a declaration may name (commodities/*.toml, `regions`) offers.
GROUPINGS = {"continents": CONTINENTS + (UNASSIGNED,), "ico": ICO_GROUPS}

# ISO3 -> keys of data/sources.py naming the country as an ICO exporting country (or member).
ICO_SOURCES = {
    "AGO": ("ico-icc-106-3", "esteri-ico"), "BDI": ("ico-ica-1968", "esteri-ico"),
    "BEN": ("ico-icc-106-3", "ico-ica-1968"), "CAF": ("esteri-ico",), "CIV": ("ico-cro-2023", "esteri-ico"),
    "CMR": ("esteri-ico",), "COD": ("ico-ica-1968",), "COG": ("ico-ica-1968",), "ETH": ("imf-ico",),
    "GAB": ("ico-ica-1968",), "GHA": ("ico-ica-1968",), "LBR": ("ico-ica-1968",), "NGA": ("ico-ica-1968",),
    "RWA": ("ico-ica-1968",), "SLE": ("ico-ica-1968",), "UGA": ("ico-cro-2023",),
    "IDN": ("imf-ico",), "PNG": ("imf-ico",), "VNM": ("ico-cro-2023",),
    "CRI": ("imf-ico", "esteri-ico"), "CUB": ("ico-ica-1968", "esteri-ico"), "GTM": ("imf-ico",),
    "JAM": ("ico-ica-1968",), "MEX": ("ico-profile-mx",), "PAN": ("ico-ica-1968",), "TTO": ("ico-ica-1968",),
    "BOL": ("ico-icc-106-3", "ico-ica-1968", "esteri-ico"),
    "BRA": ("ico-cro-2023", "ico-icc-106-3", "imf-ico", "esteri-ico"),
    "COL": ("imf-ico", "esteri-ico"), "PRY": ("ico-ica-1968",), "VEN": ("ico-ica-1968",),
}
PLACEMENT_UNVERIFIED = frozenset({"CUB", "DOM", "HTI", "JAM", "TTO", "GUY"})
SOURCED, GROUP_UNVERIFIED, UNVERIFIED = "sourced", "group unverified", "unverified"

_BY_NAME = {name.casefold(): name for name in REGIONS}


def ico_evidence(code):
    """Return (source keys, status) of a country's ICO group: sourced, group unverified or unverified."""
    keys = ICO_SOURCES.get(code, ())
    if not keys:
        return keys, UNVERIFIED
    return keys, GROUP_UNVERIFIED if code in PLACEMENT_UNVERIFIED else SOURCED


def continent(code):
    """Return the continent of a country code; Unassigned for a code the table does not hold."""
    return COUNTRY_REGIONS.get(code, (UNASSIGNED, None))[0]


def ico_group(code):
    """Return the ICO producer group of a country code, or None."""
    return COUNTRY_REGIONS.get(code, (UNASSIGNED, None))[1]


def members(region):
    """Return the sorted country codes the table puts in region (Unassigned: none it knows)."""
    return tuple(sorted(code for code, groups in COUNTRY_REGIONS.items() if region in groups))


def of(groupings):
    """Return the regions the groupings offer (a commodity's declared `regions`), in order."""
    return tuple(region for grouping in groupings for region in GROUPINGS[grouping])


def membership(groupings=tuple(GROUPINGS)):
    """Return (regions, codes): two parallel lists pairing each region of the groupings with its known members."""
    offered = set(of(groupings))
    pairs = [(region, code) for code, groups in sorted(COUNTRY_REGIONS.items()) for region in groups
             if region in offered]
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
