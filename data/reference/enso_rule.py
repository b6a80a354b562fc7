"""The rule tying NOAA's seasons to a country's market year: its window of 12 seasons, and NOAA's episode thresholds."""
import calendar

from data import commodities
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
# Where the commodity records no country's marketing year, and for world totals: the commodity's trade year
# (USDA's common year for world trade: July for wheat, October for coarse grains), else October-September, the ICO
# coffee year and the marketing year of most coffee producers.
DEFAULT_START_MONTH = 10
MONTHS = tuple(calendar.month_name[1:])

RULE = ("Market year Y's window is the 12 overlapping 3-month seasons centred on the 12 months before the "
        "country's market year Y opens: the growing season and harvest of the crop that market year counts."
        " Its ONI is the mean over those 12 seasons. A season is in an El Niño (La Niña) episode when the "
        "ONI is >= +0.5 (<= -0.5) for at least five consecutive overlapping seasons (NOAA's rule, over the whole "
        "record). The market year is El Niño (La Niña) when at least 5 of its 12 seasons are in such episodes and "
        "more than are in the other phase's; otherwise Neutral. A window not yet complete in NOAA's file has no "
        "phase.")


def _declared(commodity):
    """Return the Commodity asked for (None: the shipped default, coffee)."""
    return commodity or commodities.shipped().default


def default_month(commodity=None):
    """Return the month (1-12) opening a market year where none is recorded: the trade year's, else October."""
    trade_year = _declared(commodity).trade_year
    return MONTHS.index(trade_year.start) + 1 if trade_year else DEFAULT_START_MONTH


def start_month(country_code, commodity=None):
    """Return (month number 1-12, True when the commodity records it for the country; False for the default)."""
    found = _declared(commodity).marketing_year.of(country_code)
    if found is None:
        return default_month(commodity), False
    return MONTHS.index(found.start) + 1, True


def window(country_code, market_year, commodity=None):
    """Return the (first, last) months of market_year's window as 'Mon YYYY' text."""
    month, _ = start_month(country_code, commodity)
    first_year, last = market_year - 1, month - 1
    last_year = market_year if last else market_year - 1
    last = last or 12
    return f"{MONTHS[month - 1][:3]} {first_year}", f"{MONTHS[last - 1][:3]} {last_year}"


def windows(commodity=None):
    """Return one row per country the commodity records a marketing year of, and the default: start, window."""
    rows = []
    for code in (*(c.iso3 for c in _declared(commodity).marketing_year.countries), WORLD):
        month, recorded = start_month(code, commodity)
        first, last = window(code, 2020, commodity)
        rows.append({"code": code, "start": MONTHS[month - 1], "recorded": recorded,
                     "example": f"market year 2020: {first} to {last}"})
    return rows
