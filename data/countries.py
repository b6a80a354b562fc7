"""USDA PSD country codes (FIPS 10-4 style) mapped to the ISO3 codes the product speaks."""

# USDA code -> (ISO3, USDA's country name). FIPS 10-4 codes as published (FIPS 10-4 /
# GEC tables); E4 is PSD's own code for the European Union, which keeps the non-ISO
# code EU. Kosovo and Yemen (Sanaa) have no ISO 3166 code: XKX is the code in common
# use for Kosovo, XYS a stable code for the former North Yemen (YEM is Yemen).
USDA_COUNTRIES = {
    "AG": ("DZA", "Algeria"),
    "AL": ("ALB", "Albania"),
    "AM": ("ARM", "Armenia"),
    "AO": ("AGO", "Angola"),
    "AR": ("ARG", "Argentina"),
    "AS": ("AUS", "Australia"),
    "BK": ("BIH", "Bosnia and Herzegovina"),
    "BL": ("BOL", "Bolivia"),
    "BN": ("BEN", "Benin"),
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
    "GV": ("GIN", "Guinea"),
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
    "PM": ("PAN", "Panama"),
    "PP": ("PNG", "Papua New Guinea"),
    "RI": ("SRB", "Serbia"),
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
    "ZI": ("ZWE", "Zimbabwe"),
}

ISO3_BY_NAME = {name: iso3 for iso3, name in USDA_COUNTRIES.values()}


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
