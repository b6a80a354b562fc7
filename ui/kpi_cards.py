"""A world KPI card: the market year's value, its unit and the change on the year before."""
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html


def card(row):
    """Return one KPI card with its change on the year before."""
    pct = row["unit"] == "%"
    text = "n/a" if row["value"] is None or pd.isna(row["value"]) else (
        f"{row['value']:,.1f}%" if pct else f"{row['value']:,.0f}")
    change = row["change"]
    if change is None or pd.isna(change):
        delta = html.Span("no year before", className="text-muted")
    else:
        arrow = "bi-arrow-up-right" if change > 0 else ("bi-arrow-down-right" if change < 0 else "bi-arrow-right")
        detail = f"{change:+,.1f} pts" if pct else f"{change:+,.0f}"
        if not pct and row["change_pct"] is not None and not pd.isna(row["change_pct"]):
            detail += f" ({row['change_pct']:+.1f}%)"
        delta = html.Span([html.I(className=f"bi {arrow} me-1"), detail, " on the year before"],
                          className="text-success" if change > 0 else ("text-danger" if change < 0 else "text-muted"))
    return dbc.Col(
        dbc.Card(dbc.CardBody([
            html.Div(row["label"], className="text-muted small"),
            html.H4(text, className="mb-0 kpi-value"),
            html.Div("% of consumption" if pct else row["unit"], className="small text-muted"),
            html.Div(delta, className="small"),
        ]), className="h-100 kpi"),
        xs=6, md=4, lg=True,
    )
