"""The changes page in headless Chromium on three releases: reached from the overview strip, filtered, downloaded."""
import pytest

from tests.conftest import open_page
from tests.dashboards.test_browser import TIMEOUT, download_csv
from tests.dashboards.test_changes import expected_country
from tests.harness.releases import release_frames

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("changes-browser")]

ROWS = "#changes-revisions-grid .ag-center-cols-container .ag-row"


@pytest.fixture
def page(browser, releases_server, releases_session):
    """Return a Playwright page of the subscriber on the three releases."""
    with open_page(browser, releases_server, releases_session) as page:
        yield page


def grid_countries(page):
    """Return the country cells of the ranked grid, top to bottom as shown."""
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)]
             .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
             .map(r => r.querySelector('[col-id=country]')?.textContent)""", ROWS)


def pick(page, dropdown_id, label):
    """Open a single-choice Dash dropdown and click the option with exactly this label."""
    page.click(f"#{dropdown_id}")
    page.locator(".dash-dropdown-content").get_by_role("option", name=label, exact=True).click()


def test_strip_to_changes_filter_and_download(page):
    page.goto("/dashboards/overview")
    strip = page.wait_for_selector("#overview-release-strip", timeout=TIMEOUT)
    assert "USDA release 2024-12" in strip.text_content()
    page.click("#overview-release-strip a:has-text('See what changed')")
    page.wait_for_url("**/dashboards/changes**", timeout=TIMEOUT)
    page.wait_for_selector(ROWS, timeout=TIMEOUT)
    assert grid_countries(page)[0] == "Colombia"  # the one revised value of 2024-12, dropped Yemen after it
    assert page.input_value("#changes-min-change") == "0"

    pick(page, "changes-old", "2024-06")
    pick(page, "changes-attribute", "Production")
    page.wait_for_function("() => location.search.includes('attribute=production')"
                           " && location.search.includes('old=2024-06')", timeout=TIMEOUT)
    page.fill("#changes-min-change", "500")
    page.press("#changes-min-change", "Enter")
    page.wait_for_function("() => location.search.includes('min_change=500')", timeout=TIMEOUT)
    expected = expected_country(release_frames(), "2024-06", "2024-12")
    expected = expected[(expected["metric"] == "production")
                        & ((expected["kind"] != "revised") | (expected["change"].abs() >= 500))]
    page.wait_for_function(
        f"() => document.querySelectorAll('{ROWS}').length > 0 && "
        f"document.querySelector('#changes-revisions-grid [row-index=\"0\"] [col-id=country]')?.textContent "
        "== 'Brazil'", timeout=TIMEOUT)

    name, rows = download_csv(page, "changes-revisions-csv-button")
    assert name == "beanflows-changes-revisions-2024-06-to-2024-12.csv"
    assert len(rows) == len(expected)
    assert rows[0]["country"] == "Brazil" and rows[0]["marketing_year"] == "2020/21"
    brazil = expected[(expected["country_code"] == "BRA") & (expected["market_year"] == 2020)].iloc[0]
    assert float(rows[0]["change"]) == pytest.approx(brazil["change"])
    assert {r["metric"] for r in rows} == {"production"}
    assert not any(r["country_code"] == "COL" and r["kind"] == "revised" for r in rows)  # 214 < 500
    assert page.console_errors == []
