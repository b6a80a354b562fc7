"""Where Dash's page loader finds the Production dashboard, declared in callbacks/production.py."""
import dash

from callbacks import production as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="Production", nav=True, order=1))
