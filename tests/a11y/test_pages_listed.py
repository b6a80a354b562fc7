"""Every page a person can open is in the accessibility test's lists: a new page fails here until it is added."""
import registry
from tests.a11y.pages import ANONYMOUS, SIGNED_IN, SUBSCRIBER

# What answers machines, not people: Dash's own requests, the data API, health, Prometheus, the OpenAPI document.
NOT_PAGES = ("/_", "/api/", "/healthz", "/readyz", "/metrics", "/docs/api/openapi.json")
# The path checked for a Dash page registered with a path template, or as the not-found page.
STAND_INS = {"/dashboards/country/<iso3>": "/dashboards/country/BRA", "/404": "/no/such/page"}


def test_every_page_without_parameters_is_checked(app):
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(NOT_PAGES)}
    dash_pages = {page.get("path_template") or page["path"] for page in registry.of(app).dash_pages.values()}
    assert "/dashboards/overview" in dash_pages and "/login" in routes  # the walk finds both kinds
    pages = {STAND_INS.get(path, path) for path in routes | dash_pages}
    assert pages - set(ANONYMOUS) - set(SIGNED_IN) - set(SUBSCRIBER) == set()
