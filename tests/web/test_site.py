"""SITE_COMMODITIES and SITE_NAME: the served subset in order, refused when unknown, on the landing page and titles."""
import pytest

from tests.conftest import base_config


def _app(tmp_path, data_dir, **overrides):
    """Return an app on data_dir with a fresh, migrated users database and the given settings."""
    from app import create_app
    from tests.harness.databases import copy_migrated

    tmp_path.mkdir(exist_ok=True)
    config = {**base_config(tmp_path, data_dir), **overrides}
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    return create_app(config)


def test_an_unknown_slug_stops_start_up_naming_it(tmp_path, real_data_dir):
    from web.startup import ConfigError

    with pytest.raises(ConfigError, match="SITE_COMMODITIES.*'cocoa'"):
        _app(tmp_path, real_data_dir, SITE_COMMODITIES=["wheat", "cocoa"])
    with pytest.raises(ConfigError, match="by its slug"):
        _app(tmp_path / "code", real_data_dir, SITE_COMMODITIES=["0410000"])


def test_the_site_serves_its_commodities_in_order(tmp_path, real_data_dir):
    from data import commodities
    from data.commodities.site import default, served_commodity, site

    app = _app(tmp_path, real_data_dir, SITE_COMMODITIES=["wheat", "corn"], SITE_NAME="wheat.supply")
    with app.app_context():
        assert [c.slug for c in site()] == ["wheat", "corn"]
        assert default().code == "0410000"
        assert served_commodity("0440000").slug == "corn"
        with pytest.raises(commodities.UnknownCommodity, match="serves: wheat, corn"):
            served_commodity("coffee")
    every = _app(tmp_path / "all", real_data_dir)
    with every.app_context():
        declared = [c.slug for c in commodities.current()]
        assert [c.slug for c in site()] == declared and declared[0] == "coffee"


def test_landing_and_pages_carry_the_brand_and_commodities(tmp_path, real_data_dir):
    app = _app(tmp_path, real_data_dir, SITE_COMMODITIES=["wheat", "corn"], SITE_NAME="wheat.supply")
    client = app.test_client()
    landing = client.get("/").get_data(as_text=True)
    # Dash sets the page's title in the browser from this; the shell's own <title> is ui/'s.
    assert '<meta property="og:title" content="wheat.supply: wheat and corn market analytics">' in landing
    login = client.get("/login").get_data(as_text=True)
    assert "· wheat.supply</title>" in login and "beanflows" not in login.split("<title>")[1].split("</title>")[0]
    from plotly.utils import PlotlyJSONEncoder
    import json

    from ui.dash_app import pages

    landing = next(page for page in pages(app) if page["path"] == "/")
    with app.test_request_context("/"):
        drawn = json.dumps(landing["layout"](), cls=PlotlyJSONEncoder)
    assert "Wheat and Corn market analytics" in drawn and "wheat.supply turns USDA" in drawn
    assert "/dashboards/overview?commodity=wheat" in drawn and "/dashboards/overview?commodity=corn" in drawn
    assert "Coffee" not in drawn
