"""The World Bank Pink Sheet's attribution, and the market year a commodity's monthly prices are averaged over."""
import calendar

MONTHS = tuple(calendar.month_name[1:])
# CC BY 4.0: every chart, table and download showing these prices credits the World Bank with this line.
ATTRIBUTION = "World Bank Commodity Price Data (The Pink Sheet), CC BY 4.0"
# Where the commodity records no US marketing year: October-September, the ICO coffee year and the marketing
# year of most coffee producers.
DEFAULT_START = "October"
PRICED_IN = "USA"  # the Pink Sheet's grain series are US quotes (Gulf and Kansas City)


def start(commodity):
    """Return (the month number 1-12 opening market year Y's price average, the sentence saying why)."""
    recorded = commodity.marketing_year.of(PRICED_IN)
    if recorded is not None:
        return MONTHS.index(recorded.start) + 1, (
            f"Market year Y averages the monthly prices from {recorded.start} of Y to {recorded.end} of Y+1, "
            f"the US marketing year of {commodity.name.lower()} (the Pink Sheet quotes US grain).")
    month = MONTHS.index(DEFAULT_START)
    return month + 1, (f"Market year Y averages the monthly prices from {MONTHS[month]} of Y to "
                       f"{MONTHS[month - 1]} of Y+1 (the ICO coffee year, the marketing year of most producers).")
