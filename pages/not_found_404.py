"""Page shown for unknown paths."""
import dash
from dash import html

dash.register_page(__name__, path="/404", name="Not found", access="public", nav=False)


def layout(**_):
    """Return the not-found page."""
    return html.Div([html.H1("Page not found"), html.A("Back to the start", href="/")])
