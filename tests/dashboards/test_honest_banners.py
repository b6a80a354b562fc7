"""Honest provenance: DEMO data is named on every page (templates and Dash), the footer never cites USDA for it,
and the freshness line names the USDA release and the load time, read here straight from the serving file."""
import re

import duckdb
import pytest
import requests

from tests.conftest import create_user, login_session

TEMPLATE_PAGES = ["/login", "/signup", "/reset"]
SIGNED_IN_PAGES = ["/account", "/alerts"]  # /account also holds the saved views


def _footer(html):
    """Return the text of the freshness footer of a server-rendered page."""
    found = re.search(r'id="shell-freshness">([^<]*)<', html)
    assert found, "no freshness footer"
    return found.group(1)


def _dash_text(session, server, path):
    """Return the text of a Dash page's shell and first page as the layout request serves it."""
    session.get(server.url + path, timeout=30)
    return session.get(f"{server.url}/_dash-layout", headers={"Referer": server.url + path}, timeout=30).text


def test_demo_data_is_named_on_every_template_page(demo_server):
    user = login_session(demo_server, create_user(demo_server, "demo-sub@example.com", "--comp"))
    pages = [(None, p) for p in TEMPLATE_PAGES] + [(user, p) for p in SIGNED_IN_PAGES]
    for session, path in pages:
        response = (session or requests).get(demo_server.url + path, timeout=30)
        assert response.status_code == 200, path
        assert 'id="shell-data-banner"' in response.text and "DEMO DATA." in response.text, path
        footer = _footer(response.text)
        assert footer.startswith("DEMO DATA") and "USDA PSD release" not in footer, (path, footer)


def test_demo_data_footer_on_dash_pages_says_demo(demo_server):
    user = login_session(demo_server, create_user(demo_server, "demo-dash@example.com", "--comp"))
    layout = _dash_text(user, demo_server, "/dashboards/supply")
    assert "DEMO DATA: generated figures, not USDA's;" in layout  # the freshness line
    # The page's source note leads with DEMO before describing USDA's data.
    assert "DEMO DATA: generated figures, not USDA's, shown in the layout of USDA's data" in layout
    assert "USDA PSD release" not in layout


def test_real_data_footer_names_the_release_and_load_time(live_server, subscriber_session, real_data_dir):
    with duckdb.connect(str(real_data_dir / "serving.duckdb"), read_only=True) as con:
        release = con.execute("SELECT max(release_id) FROM releases").fetchone()[0]
        loaded = con.execute("SELECT max(loaded_at) FROM load_metadata").fetchone()[0]
    expected = f"Data: USDA PSD release {release}, loaded {loaded:%Y-%m-%d %H:%M} UTC."
    for session, path in [(requests, "/login"), (subscriber_session, "/account"), (subscriber_session, "/alerts")]:
        html = session.get(live_server.url + path, timeout=30).text
        assert _footer(html) == expected, path
        assert "DEMO DATA" not in html, path
    assert expected in _dash_text(subscriber_session, live_server, "/dashboards/overview")


def test_account_names_one_plan(live_server, subscriber_session):
    html = subscriber_session.get(live_server.url + "/account", timeout=30).text
    plans = {p.strip() for p in re.findall(r'id="(?:account-plan-name|billing-plan)">([^<]*)<', html)}
    assert len(plans) == 1 and "Free" not in plans.pop()
