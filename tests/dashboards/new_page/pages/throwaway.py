"""A throwaway page's layout."""
import dash
import throwaway_callbacks as cb
from dash import html

from ui import filters

dash.register_page(__name__, **cb.PAGE.page_args(name="Throwaway", title="Throwaway", nav=False))


def layout(**query):
    """Return the throwaway page; its filter starts from the URL query."""
    return cb.PAGE.fill(html.Div([
        filters.location(cb.PAGE.url),
        filters.year(cb.PAGE.component("year")),
        filters.chart_card(cb.TOP_CHART, "Top producers"),
        filters.source_note(cb.PAGE.source),
    ]), query)
