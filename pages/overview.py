"""Where Dash's page loader finds the overview page, declared in callbacks/overview.py."""
import dash

from callbacks import overview as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="Overview", nav=True, order=0))
