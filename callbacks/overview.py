"""Overview callbacks: year choices, KPI cards, world production chart."""
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from data import queries
from ui import ids

KPIS = ("production", "domestic_consumption", "exports", "ending_stocks", "stocks_to_use_pct")
LABELS = {
    "production": "Production",
    "domestic_consumption": "Consumption",
    "exports": "Exports",
    "ending_stocks": "Ending stocks",
    "stocks_to_use_pct": "Stocks-to-use",
}


@callback(Output(ids.OVERVIEW_YEAR, "options"), Output(ids.OVERVIEW_YEAR, "value"), Input(ids.OVERVIEW_YEAR, "id"))
def year_options(_):
    """Offer every market year, latest first, and choose the latest."""
    first, last = queries.year_range()
    years = list(range(last, first - 1, -1))
    return [{"label": f"{y}/{str(y + 1)[-2:]}", "value": y} for y in years], last


def _card(label, value, unit):
    """Return one KPI card."""
    text = "n/a" if value is None else (f"{value:,.1f}%" if unit == "%" else f"{value:,.0f}")
    return dbc.Col(dbc.Card(dbc.CardBody([html.Div(label, className="text-muted small"), html.H4(text), html.Div(unit, className="small")])))


@callback(Output(ids.OVERVIEW_KPIS, "children"), Input(ids.OVERVIEW_YEAR, "value"))
def kpis(year):
    """Return world KPI cards for the chosen year."""
    if not isinstance(year, int):
        return dbc.Alert("Choose a market year.", color="secondary")
    frame = queries.world_series(KPIS, year, year)
    if frame.empty:
        return dbc.Alert(f"No world data for {year}.", color="secondary")
    row = frame.iloc[0]
    cards = [
        _card(LABELS[m], None if row[m] != row[m] else float(row[m]), "%" if m.endswith("_pct") else "1000 60-kg bags")
        for m in KPIS
    ]
    return dbc.Row(cards, className="g-2 mb-3")


@callback(Output(ids.OVERVIEW_PRODUCTION, "figure"), Input(ids.OVERVIEW_YEAR, "options"))
def world_production(_):
    """Return world production over time."""
    first, last = queries.year_range()
    frame = queries.world_series(("production",), first, last)
    return {
        "data": [{"type": "scatter", "mode": "lines", "name": "World production",
                  "x": frame["market_year"].tolist(), "y": frame["production"].tolist()}],
        "layout": {"title": {"text": "World production"}, "yaxis": {"title": {"text": "1000 60-kg bags"}},
                   "xaxis": {"title": {"text": "Market year"}}, "margin": {"t": 50}},
    }
