"""Where Dash's page loader finds the country page, declared in callbacks/country.py."""
import dash

from callbacks import country as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(
    path_template="/dashboards/country/<iso3>", name="Country", title=page.title, nav=True, order=4))
