"""The overview's price against stocks-to-use: drawn for subscribers as the Prices dashboard opens, others told why."""
import pytest

from tests.data.prices_raw import CENTS_PER_LB_FROM_USD_PER_KG, market_year_means
from tests.harness.dash_client import DashClient, body
from tests.speed.test_first_draw import first_layout

GRAPH = "overview-price-stocks-graph"


def test_subscribers_see_the_prices_dashboard_s_fit_with_the_file_s_prices(live_server, subscriber_session):
    overview = first_layout(live_server, subscriber_session, "/dashboards/overview")
    prices = first_layout(live_server, subscriber_session, "/dashboards/prices")
    figure = overview[GRAPH]["figure"]
    assert figure["data"] == prices["prices-fit-graph"]["figure"]["data"]
    expected = market_year_means("2025-05", "arabica", 10, CENTS_PER_LB_FROM_USD_PER_KG)
    points = [(int(label[:4]), y) for trace in figure["data"][:2] for label, y in zip(trace["text"], trace["y"])]
    assert len(points) >= 8
    assert [y for _, y in points] == pytest.approx([expected[year] for year, _ in points], rel=1e-9)
    assert "World Bank Commodity Price Data (The Pink Sheet), CC BY 4.0" in str(figure["layout"]["annotations"])
    assert "Model: ln(price)" in str(overview["overview-price-stocks-message"]["children"])


def test_others_get_a_line_on_it_and_no_prices(live_server, free_session, subscriber_session):
    overview = first_layout(live_server, free_session, "/dashboards/overview")
    assert GRAPH not in overview and "overview-price-teaser" in overview
    spec_body = body(DashClient(subscriber_session, live_server.url).find(GRAPH))
    refused = DashClient(free_session, live_server.url).post(spec_body)
    assert refused.status_code == 403 and "Coffee, Arabica" not in refused.text
