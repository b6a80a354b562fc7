"""The Weather section of the country page: production anomaly against ENSO, and the largest shortfalls."""
import dash_bootstrap_components as dbc
from dash import html

from ui import filters

SHORTFALL_COLUMNS = [
    {"field": "marketing_year", "headerName": "Market year", "minWidth": 100},
    filters.number_column("anomaly_pct", "vs 5-year mean", 1, "%"),
    {"field": "phase", "headerName": "ENSO phase", "minWidth": 100},
    filters.number_column("oni", "Mean ONI (°C)", 2),
    filters.number_column("production", "Production (1000 bags)", 0),
    filters.number_column("trend", "5-year mean", 0),
    {"field": "window", "headerName": "ENSO window", "minWidth": 170},
]

LEAD = ("How this country's crops moved in El Niño and La Niña years: each market year's production against its "
        "centred 5-year mean, beside the mean of NOAA's Oceanic Niño Index over the seasons the crop grew in. "
        "This is an association over past years, not a forecast: other weather, prices, tree age and policy move "
        "production too. The rule and each country's window: ")


def section(weather_chart, shortfalls_chart, commodity=None):
    """Return the Weather section of a commodity's page: its lead, the scatter chart and the shortfalls table."""
    return html.Section([
        html.H2("Weather: El Niño and La Niña", className="h4 mt-4", id="weather"),
        html.P([LEAD, html.A("methodology", href="/methodology#enso"), "."], className="text-muted"),
        dbc.Row([
            dbc.Col(filters.chart_card(weather_chart, "Production anomaly against the ONI",
                                       note="Anomaly: production against the mean of the market year and the two "
                                            "before and after it (blank at the ends of the record and where a "
                                            "year did not report)."), lg=6),
            dbc.Col(filters.grid_card(shortfalls_chart, "Largest shortfalls and their ENSO phase", SHORTFALL_COLUMNS,
                                      height=400, min_width=90, commodity=commodity), lg=6),
        ]),
    ], **{"aria-labelledby": "weather"})
