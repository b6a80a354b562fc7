"""Usage events from a real browser on gunicorn: opening a dashboard and saving a chart as PNG are recorded."""
import sqlite3
import time

import pytest

from tests.conftest import create_user, login_session, open_page

pytestmark = [pytest.mark.browser]

TIMEOUT = 60000
GRAPH = "production-by-country-graph"


def _events(database_url, want):
    """Return the (kind, detail) rows of the server's users database once want of them are written (10 s at most)."""
    path = database_url.removeprefix("sqlite:///")
    deadline = time.monotonic() + 10
    while True:
        with sqlite3.connect(path) as con:
            rows = con.execute("SELECT kind, detail FROM usage_events ORDER BY id").fetchall()
        if len(rows) >= want or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def test_dashboard_opened_and_png_saved_are_recorded(browser, live):
    server = live(USAGE_FLUSH_SECONDS="0.5")
    session = login_session(server, create_user(server, "png@example.com", "--comp"))
    with open_page(browser, server, session) as page:
        page.goto("/dashboards/production")
        page.wait_for_selector(f"#{GRAPH} .js-plotly-plot", timeout=TIMEOUT)
        page.hover(f"#{GRAPH} .js-plotly-plot")
        with page.expect_download(timeout=TIMEOUT) as saved:
            page.click(f'#{GRAPH} .modebar-btn[data-title="Download plot as a PNG"]')
        assert saved.value.suggested_filename.endswith(".png")
        assert page.console_errors == []
    rows = _events(server.env["DATABASE_URL"], 2)
    assert ("dashboard_opened", "/dashboards/production") in rows
    assert ("download", "production-by-country.png") in rows


def test_admin_reads_the_business_page_and_downloads_a_figure(browser, live):
    server = live()
    session = login_session(server, create_user(server, "owner@example.com", "--admin"))
    with open_page(browser, server, session) as page:
        page.goto("/admin/metrics")
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6", timeout=TIMEOUT)
        assert page.inner_text("h1") == "Business metrics"
        with page.expect_download(timeout=TIMEOUT) as saved:
            page.click("#admin-metrics-cohorts-csv")
        text = open(saved.value.path()).read()
        assert text.splitlines()[0] == "week,signups,activated,converted,activation_pct,conversion_pct"
        assert len(text.splitlines()) == 13  # twelve weeks
        assert page.console_errors == []
