"""Where Dash's page loader finds the throwaway page."""
import dash
import throwaway_callbacks as page

dash.register_page(__name__, layout=page.layout, **page.PAGE.page_args(name="Throwaway", title="Throwaway", nav=False))
