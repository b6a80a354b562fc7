"""Production dashboard: by country, Arabica/Robusta split, year-on-year change, share, volatility."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks.common import PAGES
from ui import choices, filters, ids

dash.register_page(
    __name__, path="/dashboards/production", name="Production", title="Production · beanflows",
    access="subscriber", nav=True, order=1,
)


def layout(**query):
    """Return the production page; filters start from the URL query."""
    return PAGES["production"].fill(html.Div(
        [
            filters.location(ids.PRODUCTION_URL),
            filters.header("Production", "Who grows the world's coffee, which kind, and how steadily."),
            filters.filter_bar(
                filters.labelled("Countries", filters.countries(ids.PRODUCTION_COUNTRIES), width=4),
                filters.labelled("Market years", filters.years(ids.PRODUCTION_RANGE), width=4),
                filters.labelled("Metric", filters.choice(ids.PRODUCTION_METRIC, choices.PRODUCTION_METRICS), width=2),
                filters.labelled("Units", filters.units(ids.PRODUCTION_UNITS), width=2),
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(ids.PRODUCTION_BY_COUNTRY, "Production by country"), lg=7),
                    dbc.Col(filters.chart_card(ids.PRODUCTION_SPLIT, "Arabica, Robusta and other"), lg=5),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(ids.PRODUCTION_YOY, "Year-on-year change"), lg=6),
                    dbc.Col(filters.chart_card(ids.PRODUCTION_SHARE, "Share of world production"), lg=6),
                ]
            ),
            filters.chart_card(
                ids.PRODUCTION_VOLATILITY,
                "Production volatility",
                note="Rolling coefficient of variation: sample standard deviation over the mean of the "
                     "last N market years, in percent; blank until N years are available.",
                controls=dbc.Row(filters.labelled("Window (market years)",
                                                  filters.slider(ids.PRODUCTION_WINDOW, 3, 15, (3, 5, 10, 15)),
                                                  width=4), className="mb-2"),
            ),
            filters.source_note(ids.PRODUCTION_SOURCE),
        ]
    ), query)
