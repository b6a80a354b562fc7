"""Country dashboard: one country's balance sheet, its ranks, and its series next to the world's."""
import re

import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks import country as cb
from callbacks import track_record
from data.commodities.site import brand
from ui import filters, not_found, weather_card

CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]{1,7}$")


def _title(iso3=None, **_):
    """Return the browser title, naming the code only when it looks like one."""
    if isinstance(iso3, str) and CODE.match(iso3):
        return f"{not_found.country_name(iso3) or iso3.upper()} · {brand()}"
    return f"Country · {brand()}"


dash.register_page(__name__, **cb.PAGE.page_args(path_template="/dashboards/country/<iso3>", name="Country",
                                                  title=_title, nav=True, order=4))



def sheet_columns(commodity):
    """Return the balance sheet's columns: every metric the commodity serves."""
    volume = commodity.is_volume
    return [{"field": "marketing_year", "headerName": "Market year", "minWidth": 110, "sort": "desc"},
            *[filters.number_column(m, commodity.labels[m], 0 if volume(m) else (2 if m == "yield" else 1))
              for m in cb.sheet_metrics(commodity)]]


def layout(iso3=None, **query):
    """Return the country page for the ISO3 code in the path; filters start from the URL query."""
    commodity = cb.PAGE.shown(query)
    if isinstance(iso3, str) and not not_found.known_country(iso3, commodity.code):
        return not_found.layout(f"No country has the code {iso3[:12]!r} in the PSD {commodity.name.lower()} data.")
    if isinstance(iso3, str):
        query["country"] = iso3
    return cb.PAGE.fill(html.Div(
        [
            filters.location(cb.PAGE.url),
            html.H1(id=cb.HEADING, className="h2 mb-1"),
            html.P("One country's balance sheet over time, its rank, and its series next to the world's.",
                   className="text-muted mb-3"),
            filters.filter_bar(
                filters.labelled("Country", filters.countries(cb.PAGE.component("country"), multi=False), width=3),
                filters.labelled("Market years", filters.years(cb.PAGE.component("years")), width=5),
                filters.labelled("Compare with the world", filters.choice(cb.PAGE.component("metric"), []), width=2),
                filters.labelled("Units", filters.units(cb.PAGE.component("units")), width=2),
                filters.labelled("ENSO on the balance chart", filters.shade_toggle(cb.PAGE.component("enso")),
                                 width=12),
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(cb.BALANCE_CHART, "Balance over time"), lg=6),
                    dbc.Col(filters.chart_card(cb.VS_WORLD_CHART, "Next to the world"), lg=6),
                ]
            ),
            filters.chart_card(cb.RANKS_CHART, "Rank among producers, exporters and importers",
                               note="Rank 1 is the largest; only countries with a non-zero figure that year count."),
            filters.chart_card(track_record.TRACK_CHART, "Estimate track record",
                               controls=filters.labelled("Market year",
                                                         filters.year(cb.PAGE.component("track_year")), width=3),
                               note="Every value USDA published for the figure chosen under 'Compare with the "
                                    "world', from the first forecast to the latest release."),
            filters.grid_card(cb.SHEET_CHART, "Balance sheet", sheet_columns(commodity), min_width=120),
            weather_card.section(cb.WEATHER_CHART, cb.SHORTFALLS_CHART),
            filters.source_note(cb.PAGE.source),
        ]
    ), query)
