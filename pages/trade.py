"""Where Dash's page loader finds the trade page, declared in callbacks/trade.py."""
import dash

from callbacks import trade as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="Trade", nav=True, order=2))
