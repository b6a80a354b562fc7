"""A chart's "Table" toggle: the numbers drawn, as an accessible table, equal to the raw file's (pandas)."""
import pytest

from tests.conftest import open_page
from tests.harness.drawn import ALL_DRAWN

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("a11y-browser")]

TIMEOUT = 60000
SERIES = {"Production": "Production", "Domestic consumption": "Domestic Consumption", "Exports": "Exports",
          "Imports": "Imports", "Ending stocks": "Ending Stocks"}
READ = """() => {
  const table = document.querySelector('#country-balance-table table');
  return {caption: table.caption.innerText,
          head: [...table.tHead.rows[0].cells].map(c => [c.tagName, c.scope, c.innerText]),
          rows: [...table.tBodies[0].rows].map(r => [...r.cells].map(c => [c.tagName, c.scope, c.innerText]))};
}"""


@pytest.fixture(scope="module")
def brazil(raw_frame):
    """Return Brazil's raw values by (attribute, market year), with pandas."""
    coffee = raw_frame[(raw_frame["Commodity_Code"] == "0711100") & (raw_frame["Country_Name"] == "Brazil")]
    return coffee.set_index(["Attribute_Description", "Market_Year"])["Value"]


def _table(page):
    """Return {series: {year: number or None}} of the open table, checking its caption and header scopes."""
    read = page.evaluate(READ)
    assert read["caption"].startswith("Brazil: balance, 2000/01 to 2010/11")
    assert all(tag == "TH" and scope == "col" for tag, scope, _ in read["head"])
    names = [text for _, _, text in read["head"]]
    assert names[0] == "Market year"
    values = {name: {} for name in names[1:]}
    for row in read["rows"]:
        assert row[0][:2] == ["TH", "row"] and all(tag == "TD" for tag, _, _ in row[1:])
        for name, (_, _, text) in zip(names[1:], row[1:]):
            values[name][int(row[0][2])] = float(text) if text else None
    return values


def _expect(values, brazil, factor):
    """Assert the table's numbers are the raw file's, times the unit factor."""
    assert set(values) == set(SERIES)
    for name, attribute in SERIES.items():
        assert sorted(values[name]) == list(range(2000, 2011))
        for year, shown in values[name].items():
            assert shown == pytest.approx(brazil[(attribute, year)] * factor, abs=0.005), (name, year)


def test_table_shows_the_charts_numbers_and_follows_it(browser, live_server, subscriber_session, brazil, axe_source):
    with open_page(browser, live_server, subscriber_session) as page:
        page.goto("/dashboards/country/BRA?start=2000&end=2010")
        page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
        button = page.locator("#country-balance-table-button")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.locator("#country-balance-table table").count() == 0
        button.click()
        page.wait_for_selector("#country-balance-table table", timeout=TIMEOUT)
        assert button.get_attribute("aria-expanded") == "true"
        _expect(_table(page), brazil, 1)

        # Still open, the table follows the chart to other units.
        first = page.inner_text("#country-balance-table tbody td")
        page.locator("#country-units").get_by_text("1000 tonnes").click()
        page.wait_for_function("first => document.querySelector('#country-balance-table tbody td')?.innerText"
                               " !== first", arg=first, timeout=TIMEOUT)
        _expect(_table(page), brazil, 0.06)

        # The open table and its button (test_axe.py checks whole pages).
        page.evaluate(axe_source)
        serious = page.evaluate("async () => (await axe.run({include: [['#country-balance-table'], "
                                "['#country-balance-table-button']]})).violations"
                                ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)")
        assert serious == []

        button.click()
        assert button.get_attribute("aria-expanded") == "false"
        assert page.locator("#country-balance-table table").count() == 0
        assert page.console_errors == []


def test_every_chart_card_has_the_toggle(browser, live_server, subscriber_session):
    with open_page(browser, live_server, subscriber_session) as page:
        page.goto("/dashboards/supply")
        page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
        graphs = page.locator(".chart-card .js-plotly-plot").count()
        assert graphs > 0 and page.locator(".chart-card [data-table]").count() == graphs
        page.locator(".chart-card [data-table]").first.click()
        page.wait_for_selector(".chart-table table tbody tr", timeout=TIMEOUT)
