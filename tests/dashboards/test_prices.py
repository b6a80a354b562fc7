"""The prices page of a commodity the Pink Sheet does not price: it says so, with no empty chart."""
from dash import dcc

from data import commodities
from ui import dash_internals


def test_a_commodity_without_series_shows_why_and_no_chart(app):
    with app.app_context():
        from callbacks import prices as prices_page

        found = prices_page.body(commodities.current().get("oats"))
        coffee = prices_page.body(commodities.current().get("coffee"))
    assert "no price series for oats" in str(found)
    assert not [c for c in dash_internals.walk(found[0]) if isinstance(c, dcc.Graph)]
    graphs = [c for part in coffee for c in dash_internals.walk(part) if isinstance(c, dcc.Graph)]
    assert [g.id for g in graphs] == ["prices-history-graph", "prices-fit-graph", "prices-market-graph"]


def test_the_url_commodity_picks_the_page(app):
    import json

    import plotly

    with app.test_request_context("/dashboards/prices?commodity=oats"):
        from callbacks import prices as prices_page

        oats = json.dumps(prices_page.layout(commodity="oats"), cls=plotly.utils.PlotlyJSONEncoder)
        coffee = json.dumps(prices_page.layout(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "Oats prices" in oats and "no price series for oats" in oats and "prices-fit-graph" not in oats
    assert "Coffee prices" in coffee and "prices-fit-graph" in coffee


def test_methodology_says_a_commodity_without_series_has_no_price_charts(app):
    from flask import render_template

    from web import prices_methodology

    with app.test_request_context("/methodology"):
        oats = commodities.current().get("oats")
        text = render_template("web/_prices_methodology.html", prices=prices_methodology.context(oats), commodity=oats)
    assert 'id="methodology-no-prices"' in text and "declared for oats" in text
    assert "methodology-price-series" not in text
