"""Test fixture: rewrite ../shared/data/psd_coffee.csv in USDA's live layout.

USDA's bulk file uses its own two-letter country codes, as FAS's PSD country list spells them
(mostly FIPS 10-4, some older: RH Zimbabwe, DM Benin, GU Guinea, PN Panama, RB Serbia, YE Yemen
(Sanaa), E4 the EU), fills Calendar_Year/Month with the release and quotes every field. The codes
below, the 94 countries of the coffee file, are typed by country name from that list,
independently of data/countries.py.
"""
import csv
import functools
import io
import zipfile

import pandas as pd

from tests.conftest import RAW_CSV

USDA_CODE_BY_NAME = {
    "Albania": "AL", "Algeria": "AG", "Angola": "AO", "Argentina": "AR", "Armenia": "AM",
    "Australia": "AS", "Benin": "DM", "Bolivia": "BL", "Bosnia and Herzegovina": "BK",
    "Brazil": "BR", "Burundi": "BY", "Cameroon": "CM", "Canada": "CA",
    "Central African Republic": "CT", "Chile": "CI", "China": "CH", "Colombia": "CO",
    "Congo (Brazzaville)": "CF", "Congo (Kinshasa)": "CG", "Costa Rica": "CS",
    "Cote d'Ivoire": "IV", "Croatia": "HR", "Cuba": "CU", "Dominican Republic": "DR",
    "Ecuador": "EC", "Egypt": "EG", "El Salvador": "ES", "Equatorial Guinea": "EK",
    "Ethiopia": "ET", "European Union": "E4", "Gabon": "GB", "Georgia": "GG", "Ghana": "GH",
    "Guatemala": "GT", "Guinea": "GU", "Guyana": "GY", "Haiti": "HA", "Honduras": "HO",
    "India": "IN", "Indonesia": "ID", "Iran": "IR", "Jamaica": "JM", "Japan": "JA",
    "Jordan": "JO", "Kazakhstan": "KZ", "Kenya": "KE", "Korea, South": "KS", "Kosovo": "KV",
    "Laos": "LA", "Liberia": "LI", "Madagascar": "MA", "Malawi": "MI", "Malaysia": "MY",
    "Mexico": "MX", "Montenegro": "MJ", "Morocco": "MO", "New Caledonia": "NC",
    "New Zealand": "NZ", "Nicaragua": "NU", "Nigeria": "NI", "North Macedonia": "MK",
    "Norway": "NO", "Panama": "PN", "Papua New Guinea": "PP", "Paraguay": "PA", "Peru": "PE",
    "Philippines": "RP", "Russia": "RS", "Rwanda": "RW", "Saudi Arabia": "SA", "Senegal": "SG",
    "Serbia": "RB", "Sierra Leone": "SL", "Singapore": "SN", "South Africa": "SF",
    "Sri Lanka": "CE", "Switzerland": "SZ", "Taiwan": "TW", "Tanzania": "TZ", "Thailand": "TH",
    "Togo": "TO", "Trinidad and Tobago": "TD", "Turkey": "TU", "Uganda": "UG", "Ukraine": "UP",
    "United Kingdom": "UK", "United States": "US", "Uruguay": "UY", "Venezuela": "VE",
    "Vietnam": "VM", "Yemen": "YM", "Yemen (Sanaa)": "YE", "Zambia": "ZA", "Zimbabwe": "RH",
}


def raw_text_frame():
    """Return the raw CSV with every field as text, as USDA wrote it (a copy the caller may change)."""
    return _read_text(RAW_CSV).copy()


@functools.cache
def _read_text(path):
    """Read a CSV with every field as text, once per process: a dozen fixtures start from the raw file."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def to_live(frame, year, month):
    """Return frame in the live layout: USDA codes, release year and month filled."""
    live = frame.copy()
    live["Country_Code"] = live["Country_Name"].map(USDA_CODE_BY_NAME)
    assert live["Country_Code"].notna().all(), "a country without a USDA code in the fixture table"
    live["Calendar_Year"], live["Month"] = str(year), f"{month:02d}"
    return live


def write_zip(frame, path, member="psd_coffee.csv"):
    """Write frame as a zipped CSV quoting every field; return path."""
    text = io.StringIO()
    frame.to_csv(text, index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text.getvalue())
    return path


def live_zip(path, year=2024, month=6, frame=None, member="psd_coffee.csv"):
    """Write the coffee file (or frame) in the live layout to path."""
    return write_zip(to_live(raw_text_frame() if frame is None else frame, year, month), path, member)
