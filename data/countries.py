"""USDA PSD country codes mapped to the ISO3 codes the product speaks."""

# USDA code -> (ISO3, USDA's country name), as FAS spells the codes in PSD: the country list of
# FAS's PSD Online API (PSDData_GetCountries, https://apps.fas.usda.gov/OpenData/api/psd/countries),
# which the bulk files (psd_coffee_csv.zip) use too. Most are FIPS 10-4 codes; a few are PSD's own
# older ones: RH Zimbabwe (Rhodesia), DM Benin (Dahomey), GU Guinea, PN Panama, RB Serbia, YE Yemen
# (Sanaa), and E4, PSD's code for the European Union, which keeps the non-ISO code EU. Kosovo and
# Yemen (Sanaa) have no ISO 3166 code: XKX is the code in common use for Kosovo, XYS a stable code
# for the former North Yemen (YEM is Yemen).
PSD_COUNTRIES = {
    "AG": ("DZA", "Algeria"),
    "AL": ("ALB", "Albania"),
    "AM": ("ARM", "Armenia"),
    "AO": ("AGO", "Angola"),
    "AR": ("ARG", "Argentina"),
    "AS": ("AUS", "Australia"),
    "BK": ("BIH", "Bosnia and Herzegovina"),
    "BL": ("BOL", "Bolivia"),
    "BR": ("BRA", "Brazil"),
    "BY": ("BDI", "Burundi"),
    "CA": ("CAN", "Canada"),
    "CE": ("LKA", "Sri Lanka"),
    "CF": ("COG", "Congo (Brazzaville)"),
    "CG": ("COD", "Congo (Kinshasa)"),
    "CH": ("CHN", "China"),
    "CI": ("CHL", "Chile"),
    "CM": ("CMR", "Cameroon"),
    "CO": ("COL", "Colombia"),
    "CS": ("CRI", "Costa Rica"),
    "CT": ("CAF", "Central African Republic"),
    "CU": ("CUB", "Cuba"),
    "DM": ("BEN", "Benin"),
    "DR": ("DOM", "Dominican Republic"),
    "E4": ("EU", "European Union"),
    "EC": ("ECU", "Ecuador"),
    "EG": ("EGY", "Egypt"),
    "EK": ("GNQ", "Equatorial Guinea"),
    "ES": ("SLV", "El Salvador"),
    "ET": ("ETH", "Ethiopia"),
    "GB": ("GAB", "Gabon"),
    "GG": ("GEO", "Georgia"),
    "GH": ("GHA", "Ghana"),
    "GT": ("GTM", "Guatemala"),
    "GU": ("GIN", "Guinea"),
    "GY": ("GUY", "Guyana"),
    "HA": ("HTI", "Haiti"),
    "HO": ("HND", "Honduras"),
    "HR": ("HRV", "Croatia"),
    "ID": ("IDN", "Indonesia"),
    "IN": ("IND", "India"),
    "IR": ("IRN", "Iran"),
    "IV": ("CIV", "Cote d'Ivoire"),
    "JA": ("JPN", "Japan"),
    "JM": ("JAM", "Jamaica"),
    "JO": ("JOR", "Jordan"),
    "KE": ("KEN", "Kenya"),
    "KS": ("KOR", "Korea, South"),
    "KV": ("XKX", "Kosovo"),
    "KZ": ("KAZ", "Kazakhstan"),
    "LA": ("LAO", "Laos"),
    "LI": ("LBR", "Liberia"),
    "MA": ("MDG", "Madagascar"),
    "MI": ("MWI", "Malawi"),
    "MJ": ("MNE", "Montenegro"),
    "MK": ("MKD", "North Macedonia"),
    "MO": ("MAR", "Morocco"),
    "MX": ("MEX", "Mexico"),
    "MY": ("MYS", "Malaysia"),
    "NC": ("NCL", "New Caledonia"),
    "NI": ("NGA", "Nigeria"),
    "NO": ("NOR", "Norway"),
    "NU": ("NIC", "Nicaragua"),
    "NZ": ("NZL", "New Zealand"),
    "PA": ("PRY", "Paraguay"),
    "PE": ("PER", "Peru"),
    "PN": ("PAN", "Panama"),
    "PP": ("PNG", "Papua New Guinea"),
    "RB": ("SRB", "Serbia"),
    "RH": ("ZWE", "Zimbabwe"),
    "RP": ("PHL", "Philippines"),
    "RS": ("RUS", "Russia"),
    "RW": ("RWA", "Rwanda"),
    "SA": ("SAU", "Saudi Arabia"),
    "SF": ("ZAF", "South Africa"),
    "SG": ("SEN", "Senegal"),
    "SL": ("SLE", "Sierra Leone"),
    "SN": ("SGP", "Singapore"),
    "SZ": ("CHE", "Switzerland"),
    "TD": ("TTO", "Trinidad and Tobago"),
    "TH": ("THA", "Thailand"),
    "TO": ("TGO", "Togo"),
    "TU": ("TUR", "Turkey"),
    "TW": ("TWN", "Taiwan"),
    "TZ": ("TZA", "Tanzania"),
    "UG": ("UGA", "Uganda"),
    "UK": ("GBR", "United Kingdom"),
    "UP": ("UKR", "Ukraine"),
    "US": ("USA", "United States"),
    "UY": ("URY", "Uruguay"),
    "VE": ("VEN", "Venezuela"),
    "VM": ("VNM", "Vietnam"),
    "YE": ("XYS", "Yemen (Sanaa)"),
    "YM": ("YEM", "Yemen"),
    "ZA": ("ZMB", "Zambia"),
}

# The FIPS 10-4 forms of the codes above where PSD spells them otherwise: a file using them still loads.
FIPS_ALIASES = {"BN": "DM", "GV": "GU", "PM": "PN", "RI": "RB", "ZI": "RH"}

USDA_COUNTRIES = {**PSD_COUNTRIES, **{fips: PSD_COUNTRIES[psd] for fips, psd in FIPS_ALIASES.items()}}

ISO3_BY_NAME = {name: iso3 for iso3, name in PSD_COUNTRIES.values()}


def to_iso3(code, name):
    """Return (product code, known) for a USDA or ISO3 code and its country name.

    Two-letter codes are USDA's and go through the table; three-letter codes are ISO3
    already (the layout of ../shared/data); an empty code is looked up by name. An
    unknown code gets a stable stand-in, X + the USDA code, and known=False.
    """
    code = code.strip().upper()
    if len(code) == 2:
        if code in USDA_COUNTRIES:
            return USDA_COUNTRIES[code][0], True
        return f"X{code}", False
    if code:
        return code, True
    if name in ISO3_BY_NAME:
        return ISO3_BY_NAME[name], True
    letters = "".join(ch for ch in name.upper() if ch.isalnum())
    return (f"X{letters[:7]}", False) if letters else ("", False)
