"""Prices dashboard, declared once: World Bank prices beside USDA's fundamentals (filters, charts, callbacks, layout)."""
import dash_bootstrap_components as dbc
from ui import filters
from datetime import date

from dash import html

from auth.access import SUBSCRIBER
from callbacks import fields, frames
from callbacks.page import NothingToShow, Page
from data import commodities
from data.commodities import site
from data.queries import price_fit
from data.queries import prices as price_queries
from data.queries import releases as release_queries
from data.reference import price_years
from data.serving.reader import NoData
from data.reference.price_years import ATTRIBUTION
from ui import figures, prices_figures, state

NOT_LOADED = "World Bank prices are not loaded: an operator runs `flask --app app prices ingest FILE`."
SOURCE = "source"


def commodity_of(checked):
    """Return the commodity of the page: the checked `commodity` field where the page has one, else the default."""
    return site.served_commodity(checked.get("commodity") if checked else None)


def no_series(commodity):
    """Return the sentence a commodity without World Bank series shows instead of charts."""
    priced = ", ".join(c.name for c in site.site() if c.prices)
    return (f"The World Bank's Pink Sheet has no price series for {commodity.name.lower()}, so there is nothing to "
            f"show here. Commodities with prices: {priced}.")


def loaded():
    """Return True when a Pink Sheet edition is in the serving file."""
    try:
        return price_queries.prices_loaded()
    except NoData:
        return False


class SeriesField(fields.Field):
    """The price series the fit is drawn for: a slug the commodity declares; default its first."""

    extras = ("options",)

    def check(self, value, ctx):
        return state.choice(value, tuple(p.slug for c in commodities.current() for p in c.prices), self.name)

    def default(self, ctx):
        found = ctx.commodity.prices
        return found[0].slug if found else None

    def init(self, ctx):
        return [[{"label": p.name, "value": p.slug} for p in ctx.commodity.prices]]


PAGE = Page(
    "prices", "/dashboards/prices", SUBSCRIBER,
    fields=[
        SeriesField("series", "series"),
        fields.Years("years", "range", span=25, floor=fields.comparable_start),
    ],
)


def _series(commodity, checked):
    """Return the commodity's PriceSeries the checked slug names (its first where the slug is another's)."""
    if not commodity.prices:
        raise NothingToShow(no_series(commodity))
    if not loaded():
        raise NothingToShow(NOT_LOADED)
    return next((p for p in commodity.prices if p.slug == checked.get("series")), commodity.prices[0])


def _credited(frame):
    """Return frame with the attribution column every download carries."""
    frame = frame.copy()
    frame[SOURCE] = ATTRIBUTION
    return frame


def history_frame(checked, ctx):
    """Return the commodity's monthly prices from the first market year shown, with each market year's average."""
    commodity = commodity_of(checked)
    _series(commodity, checked)
    return _credited(frames.with_labels(price_queries.price_history(commodity.slug, checked["years"][0])))


def history_render(frame, checked, ctx):
    """Return the monthly prices with market-year averages and USDA's release months."""
    commodity = commodity_of(checked)
    if frame.empty:
        raise NothingToShow(f"No {commodity.name.lower()} prices from {checked['years'][0]} on.")
    unit = frame["unit"].iloc[0]
    first, last = frame["month"].min(), frame["month"].max()
    releases = [r for r in release_queries.release_list(commodity.slug)["release_id"] if first <= r <= last]
    names = {p.slug: p.name for p in commodity.prices}
    title = f"{commodity.name}: World Bank monthly prices, {_month(first)} to {_month(last)}"
    _, rule = price_years.start(commodity)
    described = [html.P(f"{p.name}: {p.description}.", className="mb-0") for p in commodity.prices if p.description]
    note = html.Div([html.P(rule, className="mb-1"), *described])
    return prices_figures.history(frame, names, releases, title, unit), frames.alert(note, "light")


def _points(commodity, series, checked):
    """Return market year, price and USDA's world stocks-to-use of the years shown (both known, price year whole)."""
    return frames.with_labels(price_queries.prices_against_stocks(commodity.slug, series.slug, *checked["years"]))


def fit_frame(checked, ctx):
    """Return the points of the fit with the fitted price of each year."""
    commodity = commodity_of(checked)
    series = _series(commodity, checked)
    frame = _points(commodity, series, checked)
    found = price_fit.fit(frame["market_year"], frame["price"], frame["stocks_to_use_pct"])
    frame.insert(0, "series", series.slug)
    frame["fitted_price"] = [found.price(s) if found else None for s in frame["stocks_to_use_pct"]]
    return _credited(frame)


def _latest(commodity, series):
    """Return (latest month YYYY-MM, its price) of a series in the newest edition."""
    monthly = price_queries.monthly_prices(commodity.slug, (series.slug,), None, None)
    return monthly["month"].iloc[-1], float(monthly["value"].iloc[-1])


def _usda_latest(commodity):
    """Return (market year, world stocks-to-use %) of USDA's latest estimate."""
    stocks = price_queries.world_stocks_to_use_pct(commodity.slug)
    return int(stocks["market_year"].iloc[-1]), float(stocks["stocks_to_use_pct"].iloc[-1])


def fit_render(frame, checked, ctx):
    """Return the price against stocks-to-use scatter with the fitted curve; the fit and its sentence below."""
    commodity = commodity_of(checked)
    series = _series(commodity, checked)
    if frame.empty:
        raise NothingToShow(f"No market year in range has both a whole year of {series.name} prices and USDA's "
                            "world stocks-to-use.")
    found = price_fit.fit(frame["market_year"], frame["price"], frame["stocks_to_use_pct"])
    month, price = _latest(commodity, series)
    usda_year, usda_value = _usda_latest(commodity)
    title = f"{series.name} price against world stocks-to-use, {figures.span(*checked['years'])}"
    figure = prices_figures.fit(frame, found, int(frame["market_year"].max()), series.name, series.display_unit,
                                title)
    return figure, frames.alert(_stats(found, series, month, price, usda_year, usda_value), "light")


def _stats(found, series, month, price, usda_year, usda_value):
    """Return the model, years, n, R², residual std and the plain sentence, for under the scatter."""
    sentence = price_fit.sentence(found, series.display_unit, series.name, price, _month(month),
                                  figures.market_year(usda_year), usda_value)
    if found is None:
        return sentence
    stats = (f"Model: {price_fit.MODEL}. Years {found.years[0]}-{found.years[-1]}, n = {found.n}, "
             f"b = {found.b:.3f}, R² = {found.r2:.3f}, residual std {found.resid_std:.3f} (ln price).")
    return html.Div([html.P(stats, className="mb-1"), html.P(sentence, className="mb-0")])


def market_frame(checked, ctx):
    """Return USDA's world stocks-to-use and the stocks-to-use each market year's average price implies."""
    commodity = commodity_of(checked)
    series = _series(commodity, checked)
    frame = _points(commodity, series, checked)
    found = price_fit.fit(frame["market_year"], frame["price"], frame["stocks_to_use_pct"])
    if found is None:
        raise NothingToShow(price_fit.sentence(None, series.display_unit, series.name, 0, "", "", 0))
    frame["implied_stocks_to_use_pct"] = [found.centre(p) for p in frame["price"]]
    frame.insert(0, "series", series.slug)
    return _credited(frame[["series", "market_year", "marketing_year", "price", "unit", "stocks_to_use_pct",
                            "implied_stocks_to_use_pct"]])


def market_render(frame, checked, ctx):
    """Return USDA against the price-implied stocks-to-use, the latest month's price with its 95% band."""
    commodity = commodity_of(checked)
    series = _series(commodity, checked)
    points = frame.rename(columns={"implied_stocks_to_use_pct": "implied"})
    found = price_fit.fit(points["market_year"], points["price"], points["stocks_to_use_pct"])
    month, price = _latest(commodity, series)
    implied, low, high = found.implied(price)
    market_year = _market_year(commodity, month)
    # A band covering every value searched says nothing: no point is drawn for the latest price then.
    latest = None if low is None and high is None else {"month": _month(month), "market_year": market_year,
                                                         "implied": implied, "low": low, "high": high}
    usda_year, usda_value = _usda_latest(commodity)
    title = f"The market against USDA: world stocks-to-use, {series.name} price-implied and USDA's"
    usda = f"USDA's latest estimate, for {figures.market_year(usda_year)}, is {usda_value:.1f}%."
    if low is None and high is None:
        text = (f"The fit is too weak to say what world stocks-to-use the {_month(month)} price implies (its 95% "
                f"band covers every value searched). {usda}")
    else:
        text = (f"The {_month(month)} price, {price:,.1f} {series.display_unit}, implies a world stocks-to-use of "
                f"{implied:.1f}% (95% band {_pct(low)} to {_pct(high)}); {usda}")
    return prices_figures.market(frame, latest, series.name, title), frames.alert(text, "light")


def _market_year(commodity, month):
    """Return the market year a YYYY-MM month falls in, on the commodity's price year."""
    start, _ = price_years.start(commodity)
    year, number = int(month[:4]), int(month[5:])
    return year if number >= start else year - 1


def _pct(value):
    """Return a band end as a percentage, or 'unbounded'."""
    return "unbounded" if value is None else f"{value:.1f}%"


def _month(month):
    """Return 'Apr 2025' of '2025-04'."""
    return date(int(month[:4]), int(month[5:7]), 1).strftime("%b %Y")


def opening_fit_frame(checked, ctx):
    """Return the fit chart's frame as this dashboard opens (its first series, default years), for another page."""
    return fit_frame(_as_prices_opens(checked, ctx), ctx)


def opening_fit_render(frame, checked, ctx):
    """Return price against world stocks-to-use with the fit stated under it, as the Prices dashboard draws it."""
    return fit_render(frame, _as_prices_opens(checked, ctx), ctx)


def _as_prices_opens(checked, ctx):
    """Return the checked filters of the Prices dashboard opened on this commodity."""
    return {**checked, "years": PAGE.fields["years"].default(ctx)}


HISTORY_CHART = PAGE.chart("history", ["years"], history_frame, history_render)
FIT_CHART = PAGE.chart("fit", ["series", "years"], fit_frame, fit_render)
MARKET_CHART = PAGE.chart("market", ["series", "years"], market_frame, market_render)

LEAD = "World Bank monthly prices beside USDA's balance sheets: what the market paid, and what it implies."


def charts(commodity):
    """Return the filters and chart cards of a commodity with price series."""
    return [
        filters.filter_bar(
            PAGE.control("series", "Price series", width=4),
            PAGE.control("years", "Market years", width=8),
        ),
        filters.chart_card(HISTORY_CHART, "Price history",
                           note=f"Monthly prices in nominal US dollars, as the World Bank publishes them, converted "
                                f"to the unit the trade quotes. Source: {ATTRIBUTION}."),
        dbc.Row([
            dbc.Col(filters.chart_card(FIT_CHART, "Price against world stocks-to-use",
                                       note=f"Each market year's average price against USDA's world ending stocks "
                                            f"as a share of use, with a fitted curve. Source: {ATTRIBUTION}; "
                                            "USDA FAS PSD."), lg=6),
            dbc.Col(filters.chart_card(MARKET_CHART, "The market against USDA",
                                       note="The stocks-to-use each year's price implies on the fitted curve, "
                                            f"beside USDA's estimate. Source: {ATTRIBUTION}; USDA FAS PSD."), lg=6),
        ]),
    ]


def body(commodity):
    """Return the page's content: the charts, or why there are none for this commodity."""
    if not commodity.prices:
        return [dbc.Alert(no_series(commodity), color="info", id=PAGE.id("none"))]
    return charts(commodity)


def layout(**query):
    """Return the prices page; filters start from the URL query."""
    commodity = PAGE.shown(query)
    return PAGE.fill(html.Div(
        [
            filters.location(PAGE.url),
            filters.header(f"{commodity.name} prices", LEAD),
            *body(commodity),
            filters.source_note(PAGE.source, commodity, extra=f"Prices: {ATTRIBUTION}."),
        ]
    ), query)
