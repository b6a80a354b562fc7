"""Where Dash's page loader finds the prices page, declared in callbacks/prices.py."""
import dash

from callbacks import prices as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="Prices", nav=True, order=6))
