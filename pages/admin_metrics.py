"""Where Dash's page loader finds the admin_metrics page, declared in callbacks/admin_metrics.py."""
import dash

from callbacks import admin_metrics as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="Business metrics", nav=False))
