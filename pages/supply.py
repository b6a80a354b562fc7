"""Where Dash's page loader finds the supply page, declared in callbacks/supply.py."""
import dash

from callbacks import supply as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="Supply", nav=True, order=3))
