"""Production dashboard: by country, Arabica/Robusta split, year-on-year change, share, volatility."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks import production as cb
from ui import filters

dash.register_page(__name__, **cb.PAGE.page_args(name="Production", nav=True, order=1))


def layout(**query):
    """Return the production page; filters start from the URL query."""
    return cb.PAGE.fill(html.Div(
        [
            filters.location(cb.PAGE.url),
            filters.header("Production", "Who grows the most, how much land and yield or which kind, and how steadily."),
            filters.filter_bar(
                filters.labelled("Countries", filters.countries(cb.PAGE.component("countries")), width=4),
                filters.labelled("Market years", filters.years(cb.PAGE.component("years")), width=4),
                filters.labelled("Metric", filters.choice(cb.PAGE.component("metric"), []), width=2),
                filters.labelled("Units", filters.units(cb.PAGE.component("units")), width=2),
                filters.labelled("ENSO on the production chart", filters.shade_toggle(cb.PAGE.component("enso")),
                                 width=12),
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(cb.BY_COUNTRY_CHART, "Production by country"), lg=7),
                    dbc.Col(filters.chart_card(cb.SPLIT_CHART, "Production by type"), lg=5),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(cb.YOY_CHART, "Year-on-year change"), lg=6),
                    dbc.Col(filters.chart_card(cb.SHARE_CHART, "Share of world production"), lg=6),
                ]
            ),
            filters.chart_card(
                cb.VOLATILITY_CHART,
                "Production volatility",
                note="Rolling coefficient of variation: sample standard deviation over the mean of the "
                     "last N market years, in percent; blank until N years are available.",
                controls=dbc.Row(filters.labelled("Window (market years)",
                                                  filters.slider(cb.PAGE.component("window"), 3, 15, (3, 5, 10, 15)),
                                                  width=4), className="mb-2"),
            ),
            filters.source_note(cb.PAGE.source),
        ]
    ), query)
