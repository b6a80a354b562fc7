"""The rule tying NOAA's seasons to a country's market year: its window of 12 seasons, and NOAA's episode thresholds."""
import calendar

from data.reference.marketing_years import MARKETING_YEARS
from data.schema import WORLD

EL_NINO, LA_NINA, NEUTRAL = "El Niño", "La Niña", "Neutral"
PHASES = (EL_NINO, LA_NINA, NEUTRAL)
# NOAA: a season belongs to an El Niño (La Niña) episode when the ONI is >= +0.5 (<= -0.5) in at least
# five consecutive overlapping seasons.
THRESHOLD = 0.5
EPISODE_SEASONS = 5
# A market year is in a phase when at least this many of its window's 12 seasons belong to that phase's
# episodes, and more than belong to the other phase's.
PHASE_MIN_SEASONS = 5
# Where no marketing year is recorded (data/reference/marketing_years.py), and for world totals: October-September,
# the ICO coffee year and the marketing year of most producers listed.
DEFAULT_START_MONTH = 10
MONTHS = tuple(calendar.month_name[1:])

RULE = ("Market year Y's window is the 12 overlapping 3-month seasons centred on the 12 months before the "
        "country's market year Y opens: the flowering, bean filling and harvest of the crop that market year "
        "counts. Its ONI is the mean over those 12 seasons. A season is in an El Niño (La Niña) episode when the "
        "ONI is >= +0.5 (<= -0.5) for at least five consecutive overlapping seasons (NOAA's rule, over the whole "
        "record). The market year is El Niño (La Niña) when at least 5 of its 12 seasons are in such episodes and "
        "more than are in the other phase's; otherwise Neutral. A window not yet complete in NOAA's file has no "
        "phase.")


def start_month(country_code):
    """Return (month number 1-12, True when recorded for the country; False for the assumed default)."""
    found = MARKETING_YEARS.get(country_code)
    if found is None:
        return DEFAULT_START_MONTH, False
    return MONTHS.index(found[0]) + 1, True


def window(country_code, market_year):
    """Return the (first, last) months of market_year's window as 'Mon YYYY' text."""
    month, _ = start_month(country_code)
    first_year, last = market_year - 1, month - 1
    last_year = market_year if last else market_year - 1
    last = last or 12
    return f"{MONTHS[month - 1][:3]} {first_year}", f"{MONTHS[last - 1][:3]} {last_year}"


def windows():
    """Return one row per country with a recorded marketing year, and the default: whose, start, window text."""
    rows = []
    for code in (*MARKETING_YEARS, WORLD):
        month, recorded = start_month(code)
        first, last = window(code, 2020)
        rows.append({"code": code, "start": MONTHS[month - 1], "recorded": recorded,
                     "example": f"market year 2020: {first} to {last}"})
    return rows
