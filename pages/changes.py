"""What changed: the revisions between two USDA releases, world and by country."""
import dash
from dash import html

from callbacks import changes as cb
from ui import filters

dash.register_page(__name__, **cb.PAGE.page_args(name="What changed", nav=True,
                                                  order=5))

KIND = {"field": "kind", "headerName": "Kind", "minWidth": 90}
VALUES = [filters.number_column("old_value", "Old", 1), filters.number_column("new_value", "New", 1),
          filters.number_column("change", "Change", 1), filters.number_column("pct", "Change %", 2, "%"), KIND]
WORLD_COLUMNS = [{"field": "marketing_year", "headerName": "Market year", "minWidth": 110},
                 {"field": "attribute", "headerName": "Attribute", "minWidth": 170}, *VALUES]
REVISION_COLUMNS = [{"field": "rank", "headerName": "#", "maxWidth": 80, "type": "numericColumn"},
                    {"field": "country", "headerName": "Country", "minWidth": 150},
                    {"field": "marketing_year", "headerName": "Market year", "minWidth": 110},
                    {"field": "attribute", "headerName": "Attribute", "minWidth": 170}, *VALUES]

PRICE_COLUMNS = [{"field": "series_name", "headerName": "Series", "minWidth": 110},
                 {"field": "month", "headerName": "Month", "minWidth": 100}, *VALUES,
                 {"field": "unit", "headerName": "Unit", "minWidth": 110}]


def layout(**query):
    """Return the changes page; the releases and filters start from the URL query."""
    return cb.PAGE.fill(html.Div(
        [
            filters.location(cb.PAGE.url),
            filters.header("What changed", "The values one USDA release revised against another, added or dropped, "
                                           "in the commodity's own units."),
            filters.filter_bar(
                filters.labelled("Release", filters.choice(cb.PAGE.component("new"), []), width=3),
                filters.labelled("Against", filters.choice(cb.PAGE.component("old"), []), width=3),
            ),
            filters.grid_card(cb.WORLD_CHART, "World balance revisions", WORLD_COLUMNS, height=300,
                              note="Each market year the release touched; new values are labelled, not changes "
                                   "from zero."),
            filters.filter_bar(
                filters.labelled("Attribute", filters.choice(cb.PAGE.component("attribute"), []),
                                 width=3),
                filters.labelled("Countries (none: all)", filters.countries(cb.PAGE.component("countries")),
                                 width=6),
                filters.labelled("Minimum absolute change (its units)", filters.number(cb.PAGE.component("min_change"), 0, 10 ** 7), width=3),
            ),
            filters.grid_card(cb.REVISIONS_CHART, "Largest revisions by country", REVISION_COLUMNS, height=460,
                              note="Ranked by absolute change; newly added and dropped values follow, labelled."),
            filters.chart_card(cb.BY_COUNTRY_CHART, "Revisions by country",
                               controls=filters.labelled("Attribute",
                                                         filters.choice(cb.PAGE.component("metric"),
                                                                        []), width=4)),
            filters.grid_card(cb.PRICES_CHART, "World Bank prices: the newest edition against the one before",
                              PRICE_COLUMNS, height=300,
                              note="Each month of the commodity's Pink Sheet series the newest edition publishes "
                                   "differently, or first; in the unit the Prices dashboard shows."),
            filters.source_note(cb.PAGE.source),
        ]
    ), query)
