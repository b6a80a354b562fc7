"""PSD reporters that are not today's countries: their stable codes, what they cover, and when.

PSD reports the European Union as one (EU-15, `E2`, until market year 1998, then the EU, `E4`, from 1999), the
USSR (`UR`) until 1986 and its successor states from 1987, Czechoslovakia (`CZ`) until 1991, Yugoslavia (`YO`)
until 1991 and Serbia and Montenegro (`SR`) from 1992 to 2005. Each keeps one code here (data/reference/
countries.py maps USDA's to it); the web lists them beside the map, not on it.

World and regional totals add every reporter, except a member in a year its aggregate covers and reported: USDA's
own file never does that (tests/data/test_reporters.py checks the raw grains file), so its world totals are
the plain sums; a file that did would not count the member twice. The years are where PSD draws the line:
- EU15 covers the fifteen members of 1995-2003; the countries that joined later report alone until 1998.
- EU covers the 27 members from 1999, and the United Kingdom until 2015: PSD reports the UK alone from 2016
  (the EU's wheat drops by the UK's 14 million tonnes that year).
- Croatia, Slovenia and Bosnia report their rice from 1990 while Yugoslavia's 1990 rice imports fall from 36 to
  12 thousand tonnes: Yugoslavia covers them until 1989, its other republics until 1991.
"""
from dataclasses import dataclass

GROUP, FORMER = "group of countries", "former country"
LAST = 9999

EU27 = ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA",
        "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE")
EU15 = ("AUT", "BEL", "DNK", "FIN", "FRA", "DEU", "GRC", "IRL", "ITA", "LUX", "NLD", "PRT", "ESP", "SWE", "GBR")
USSR = ("ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA", "LTU", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB")


@dataclass(frozen=True)
class Reporter:
    """A reporter that is not a country today: its name, kind, a note, and (member, first, last year) it covers."""

    code: str
    name: str
    kind: str
    note: str
    covers: tuple = ()


REPORTERS = {r.code: r for r in (
    Reporter("EU", "European Union", GROUP, "PSD's European Union (E4), reported as one from market year 1999: "
             "the 27 members, and the United Kingdom until 2015.",
             tuple((m, 1999, LAST) for m in EU27) + (("GBR", 1999, 2015),)),
    Reporter("EU15", "EU-15", GROUP, "PSD's EU-15 (E2), the fifteen members of 1995-2003 reported as one until "
             "market year 1998; later members report alone until then.", tuple((m, 0, 1998) for m in EU15)),
    Reporter("SUN", "USSR", FORMER, "The Soviet Union (PSD's UR), reported until market year 1986; its fifteen "
             "successor states from 1987.", tuple((m, 0, 1986) for m in USSR)),
    Reporter("CSK", "Czechoslovakia", FORMER, "Former Czechoslovakia (CZ), until 1991; the Czech Republic and "
             "Slovakia from 1992.", (("CZE", 0, 1991), ("SVK", 0, 1991))),
    Reporter("YUG", "Yugoslavia", FORMER, "Former Yugoslavia (YO), until 1991; Croatia, Slovenia and Bosnia report "
             "rice alone from 1990, the successor states everything from 1992.",
             (("HRV", 0, 1989), ("SVN", 0, 1989), ("BIH", 0, 1989), ("MKD", 0, 1991), ("SCG", 0, 1991),
              ("SRB", 0, 1991), ("MNE", 0, 1991), ("XKX", 0, 1991))),
    Reporter("SCG", "Serbia and Montenegro", FORMER, "Serbia and Montenegro (SR), 1992-2005, and PSD's empty "
             "\"Yugoslavia (>05/92)\" (YU); Serbia (RB) from 2006.",
             (("SRB", 1992, 2005), ("MNE", 1992, 2005), ("XKX", 1992, 2005))),
    Reporter("XYS", "Yemen (Sanaa)", FORMER, "North Yemen (YE), until 1990; Yemen from 1991."),
    Reporter("YMD", "Yemen (Aden)", FORMER, "South Yemen (YS), until 1990; Yemen from 1991."),
)}


def is_aggregate(code):
    """Return True for a reporter that is not a country today (listed beside the map, not on it)."""
    return code in REPORTERS


def name(code, file_name):
    """Return the name a reporter is served under: the table's for these reporters, else the file's."""
    return REPORTERS[code].name if code in REPORTERS else file_name


def cover_rows():
    """Return (aggregate codes, member codes, first years, last years): parallel lists of every cover."""
    rows = [(r.code, member, first, last) for r in REPORTERS.values() for member, first, last in r.covers]
    return [list(column) for column in zip(*rows)]
