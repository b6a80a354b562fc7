"""World overview dashboard: KPI cards, world balance over time, top producers, regions and the world map."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks import overview as cb
from callbacks import release_strip
from ui import filters, maps

dash.register_page(__name__, **cb.PAGE.page_args(name="Overview", nav=True, order=0))


def layout(**query):
    """Return the overview page; filters start from the URL query; CSVs for subscribers only."""
    downloads = cb.PAGE.downloads_allowed()
    commodity = cb.PAGE.shown(query)
    return cb.PAGE.fill(html.Div(
        [
            filters.location(cb.PAGE.url),
            filters.header(f"World {commodity.name.lower()} overview", "World supply and demand for the chosen market year and over time."),
            release_strip.strip(commodity),
            filters.filter_bar(
                filters.labelled("Market year", filters.year(cb.PAGE.component("year")), width=2),
                filters.labelled("Years shown in the balance", filters.years(cb.PAGE.component("years")), width=5),
                filters.labelled("Units", filters.units(cb.PAGE.component("units")), width=2),
                filters.labelled("World totals over", filters.coverage_toggle(cb.PAGE.component("coverage")), width=3),
            ),
            filters.cards_card(cb.KPI_CARDS_CHART, "World balance for the market year", downloads),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(cb.BALANCE_CHART, "World supply and demand balance",
                                               downloads=downloads), lg=7),
                    dbc.Col(filters.chart_card(cb.TOP_CHART, "Top producers", downloads=downloads), lg=5),
                ]
            ),
            filters.filter_bar(
                filters.labelled("Metric on the map and by region",
                                 filters.choice(cb.PAGE.component("metric"), []), width=4),
                filters.labelled("Regions", filters.choice(cb.PAGE.component("grouping"), []), width=3),
            ),
            dbc.Row(
                [
                    dbc.Col(maps.map_card(
                        cb.MAP_CHART, "World map for the market year", downloads=downloads,
                        note="Countries that did not report are grey. The EU is reported as one entity, not by "
                             "member state, so it is not on the map; its figures are in the region totals "
                             "(Europe)."), lg=7),
                    dbc.Col(filters.chart_card(
                        cb.REGIONS_CHART, "Regional totals", downloads=downloads,
                        note="Regions sum their countries that reported each year: continents (UN M49, the "
                             "Americas in three) or, for coffee, the ICO's groups of exporting countries. A region's "
                             "stocks-to-use counts its exports as use, like a country's."), lg=5),
                ]
            ),
            _price_card(commodity),
            filters.chart_card(cb.ENSO_CHART, "World production against ENSO", downloads=downloads,
                               note=f"World production against its centred 5-year mean, beside the mean ONI over "
                                    f"the 12 months ({cb.enso_window(commodity)}) before each market year "
                                    "(methodology: /methodology#enso). Association over past years, not a forecast."),
            filters.source_note(cb.PAGE.source),
        ]
    ), query)


def _price_card(commodity):
    """Return price against stocks-to-use for a subscriber (hidden without prices), a line on it for others."""
    link = f"/dashboards/prices?commodity={commodity.slug}"
    if not cb.PAGE.may_view(cb.PRICE_CHART):
        return None if not commodity.prices else dbc.Alert(
            [f"Subscribers see what the World Bank's {commodity.name.lower()} prices say about world stocks-to-use "
             "here, and on the ", html.A("Prices dashboard", href=link), ". ", html.A("See plans", href="/#pricing"),
             "."], color="light", id=cb.PAGE.id("price-teaser"))
    return filters.chart_card(cb.PRICE_CHART, "Price against world stocks-to-use", downloads=True,
                              note=["The fit of the Prices dashboard as it opens; other series, years and the "
                                    "market against USDA: ", html.A("Prices dashboard", href=link), "."])
