"""Where Dash's page loader finds the changes page, declared in callbacks/changes.py."""
import dash

from callbacks import changes as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="What changed", nav=True, order=5))
