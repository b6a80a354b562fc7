"""Where Dash's page loader finds the admin page, declared in callbacks/admin.py."""
import dash

from callbacks import admin as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="Admin", nav=False))
