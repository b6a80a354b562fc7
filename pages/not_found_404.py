"""Page shown for unknown paths."""
import dash

from ui import not_found

dash.register_page(__name__, path="/404", name="Not found", access="public", nav=False)


def layout(**_):
    """Return the not-found page."""
    return not_found.layout("No page lives at this address.")
