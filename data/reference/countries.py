"""USDA PSD country codes mapped to the ISO3 codes the product speaks."""

# USDA code -> (ISO3, USDA's country name), as FAS spells the codes in PSD: the country list of
# FAS's PSD Online API (PSDData_GetCountries, https://apps.fas.usda.gov/OpenData/api/psd/countries),
# which the bulk files (psd_coffee_csv.zip) use too. Most are FIPS 10-4 codes; a few are PSD's own
# older ones: RH Zimbabwe (Rhodesia), DM Benin (Dahomey), GU Guinea, PN Panama, RB Serbia, YE Yemen
# (Sanaa), and E4, PSD's code for the European Union, which keeps the non-ISO code EU. Kosovo and
# Yemen (Sanaa) have no ISO 3166 code: XKX is the code in common use for Kosovo, XYS a stable code
# for the former North Yemen (YEM is Yemen). Reporters that are not today's countries keep one code each
# (REPORTERS below): the withdrawn ISO 3166 alpha-3 codes where ISO 3166-3 kept one (SUN USSR, CSK
# Czechoslovakia, YUG Yugoslavia, SCG Serbia and Montenegro, YMD Yemen (Aden)), EU15 for USDA's EU-15.
# YU, PSD's "Yugoslavia (>05/92)" (the Federal Republic that became Serbia and Montenegro), shares SCG: PSD
# holds one empty 1982 row under it.
PSD_COUNTRIES = {
    "AF": ("AFG", "Afghanistan"),
    "AG": ("DZA", "Algeria"),
    "AJ": ("AZE", "Azerbaijan"),
    "AL": ("ALB", "Albania"),
    "AM": ("ARM", "Armenia"),
    "AO": ("AGO", "Angola"),
    "AR": ("ARG", "Argentina"),
    "AS": ("AUS", "Australia"),
    "BA": ("BHR", "Bahrain"),
    "BB": ("BRB", "Barbados"),
    "BC": ("BWA", "Botswana"),
    "BG": ("BGD", "Bangladesh"),
    "BK": ("BIH", "Bosnia and Herzegovina"),
    "BL": ("BOL", "Bolivia"),
    "BM": ("MMR", "Burma"),
    "BO": ("BLR", "Belarus"),
    "BR": ("BRA", "Brazil"),
    "BT": ("BTN", "Bhutan"),
    "BU": ("BGR", "Bulgaria"),
    "BX": ("BRN", "Brunei"),
    "BY": ("BDI", "Burundi"),
    "CA": ("CAN", "Canada"),
    "CB": ("KHM", "Cambodia"),
    "CD": ("TCD", "Chad"),
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
    "CV": ("CPV", "Cabo Verde"),
    "CY": ("CYP", "Cyprus"),
    "CZ": ("CSK", "Former Czechoslovakia"),
    "DJ": ("DJI", "Djibouti"),
    "DM": ("BEN", "Benin"),
    "DR": ("DOM", "Dominican Republic"),
    "E2": ("EU15", "EU-15"),
    "E4": ("EU", "European Union"),
    "EC": ("ECU", "Ecuador"),
    "EG": ("EGY", "Egypt"),
    "EK": ("GNQ", "Equatorial Guinea"),
    "EN": ("EST", "Estonia"),
    "ER": ("ERI", "Eritrea"),
    "ES": ("SLV", "El Salvador"),
    "ET": ("ETH", "Ethiopia"),
    "EZ": ("CZE", "Czech Republic"),
    "FJ": ("FJI", "Fiji"),
    "GA": ("GMB", "Gambia, The"),
    "GB": ("GAB", "Gabon"),
    "GG": ("GEO", "Georgia"),
    "GH": ("GHA", "Ghana"),
    "GT": ("GTM", "Guatemala"),
    "GU": ("GIN", "Guinea"),
    "GY": ("GUY", "Guyana"),
    "HA": ("HTI", "Haiti"),
    "HK": ("HKG", "Hong Kong"),
    "HO": ("HND", "Honduras"),
    "HR": ("HRV", "Croatia"),
    "HU": ("HUN", "Hungary"),
    "IC": ("ISL", "Iceland"),
    "ID": ("IDN", "Indonesia"),
    "IN": ("IND", "India"),
    "IR": ("IRN", "Iran"),
    "IS": ("ISR", "Israel"),
    "IV": ("CIV", "Cote d'Ivoire"),
    "IZ": ("IRQ", "Iraq"),
    "JA": ("JPN", "Japan"),
    "JM": ("JAM", "Jamaica"),
    "JO": ("JOR", "Jordan"),
    "KE": ("KEN", "Kenya"),
    "KG": ("KGZ", "Kyrgyzstan"),
    "KN": ("PRK", "Korea, North"),
    "KS": ("KOR", "Korea, South"),
    "KU": ("KWT", "Kuwait"),
    "KV": ("XKX", "Kosovo"),
    "KZ": ("KAZ", "Kazakhstan"),
    "LA": ("LAO", "Laos"),
    "LE": ("LBN", "Lebanon"),
    "LG": ("LVA", "Latvia"),
    "LH": ("LTU", "Lithuania"),
    "LI": ("LBR", "Liberia"),
    "LO": ("SVK", "Slovakia"),
    "LT": ("LSO", "Lesotho"),
    "LY": ("LBY", "Libya"),
    "MA": ("MDG", "Madagascar"),
    "MC": ("MAC", "Macau"),
    "MD": ("MDA", "Moldova"),
    "MG": ("MNG", "Mongolia"),
    "MI": ("MWI", "Malawi"),
    "MJ": ("MNE", "Montenegro"),
    "MK": ("MKD", "North Macedonia"),
    "ML": ("MLI", "Mali"),
    "MO": ("MAR", "Morocco"),
    "MP": ("MUS", "Mauritius"),
    "MR": ("MRT", "Mauritania"),
    "MT": ("MLT", "Malta"),
    "MU": ("OMN", "Oman"),
    "MX": ("MEX", "Mexico"),
    "MY": ("MYS", "Malaysia"),
    "MZ": ("MOZ", "Mozambique"),
    "NC": ("NCL", "New Caledonia"),
    "NG": ("NER", "Niger"),
    "NI": ("NGA", "Nigeria"),
    "NO": ("NOR", "Norway"),
    "NP": ("NPL", "Nepal"),
    "NS": ("SUR", "Suriname"),
    "NU": ("NIC", "Nicaragua"),
    "NZ": ("NZL", "New Zealand"),
    "OD": ("SSD", "South Sudan"),
    "PA": ("PRY", "Paraguay"),
    "PE": ("PER", "Peru"),
    "PK": ("PAK", "Pakistan"),
    "PL": ("POL", "Poland"),
    "PN": ("PAN", "Panama"),
    "PP": ("PNG", "Papua New Guinea"),
    "PU": ("GNB", "Guinea-Bissau"),
    "QA": ("QAT", "Qatar"),
    "RB": ("SRB", "Serbia"),
    "RE": ("REU", "Reunion"),
    "RH": ("ZWE", "Zimbabwe"),
    "RO": ("ROU", "Romania"),
    "RP": ("PHL", "Philippines"),
    "RS": ("RUS", "Russia"),
    "RW": ("RWA", "Rwanda"),
    "SA": ("SAU", "Saudi Arabia"),
    "SF": ("ZAF", "South Africa"),
    "SG": ("SEN", "Senegal"),
    "SI": ("SVN", "Slovenia"),
    "SL": ("SLE", "Sierra Leone"),
    "SN": ("SGP", "Singapore"),
    "SO": ("SOM", "Somalia"),
    "SR": ("SCG", "Serbia and Montenegro"),
    "SU": ("SDN", "Sudan"),
    "SY": ("SYR", "Syria"),
    "SZ": ("CHE", "Switzerland"),
    "TC": ("ARE", "United Arab Emirates"),
    "TD": ("TTO", "Trinidad and Tobago"),
    "TH": ("THA", "Thailand"),
    "TI": ("TJK", "Tajikistan"),
    "TO": ("TGO", "Togo"),
    "TS": ("TUN", "Tunisia"),
    "TU": ("TUR", "Turkey"),
    "TW": ("TWN", "Taiwan"),
    "TX": ("TKM", "Turkmenistan"),
    "TZ": ("TZA", "Tanzania"),
    "UG": ("UGA", "Uganda"),
    "UK": ("GBR", "United Kingdom"),
    "UP": ("UKR", "Ukraine"),
    "UR": ("SUN", "Union of Soviet Socialist Republics"),
    "US": ("USA", "United States"),
    "UV": ("BFA", "Burkina Faso"),
    "UY": ("URY", "Uruguay"),
    "UZ": ("UZB", "Uzbekistan"),
    "VE": ("VEN", "Venezuela"),
    "VM": ("VNM", "Vietnam"),
    "WA": ("NAM", "Namibia"),
    "WZ": ("SWZ", "Eswatini"),
    "YE": ("XYS", "Yemen (Sanaa)"),
    "YM": ("YEM", "Yemen"),
    "YO": ("YUG", "Former Yugoslavia"),
    "YS": ("YMD", "Yemen (Aden)"),
    "YU": ("SCG", "Yugoslavia (>05/92)"),
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
