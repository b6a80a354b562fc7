"""The drawdown test the Supply page and the drawdown alerts share: c is a year, p the year before."""

# Percent change of ending stocks on the year before (negative: a fall).
CHANGE_PCT = "100 * (c.ending_stocks - p.ending_stocks) / p.ending_stocks"


def fell_more_than(threshold="?"):
    """Return the condition: ending stocks that were there fell by more than threshold percent."""
    return f"p.ending_stocks > 0 AND 100 * (p.ending_stocks - c.ending_stocks) / p.ending_stocks > {threshold}"


# For a bound threshold parameter (the Supply page).
FELL_MORE_THAN = fell_more_than()
