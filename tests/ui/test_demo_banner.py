"""The DEMO banner says what happened: demo data chosen with `ingest --demo`, or USDA's file unreachable."""
import html

from tests.conftest import base_config
from ui import freshness

PAGES = ("/_dash-layout", "/login")  # Dash's shell, a template page


def _pages(app):
    """Return the text of PAGES as app serves them to a visitor."""
    client = app.test_client()
    return {path: html.unescape(client.get(path).get_data(as_text=True)) for path in PAGES}


def test_chosen_demo_data_does_not_blame_usda(tmp_path, demo_releases_dir):
    from app import create_app

    for path, page in _pages(create_app(base_config(tmp_path, demo_releases_dir))).items():
        assert "DEMO DATA." in page and freshness.DEMO_CHOSEN in page, path
        assert "unreachable" not in page, path


def test_demo_data_standing_in_for_an_unreachable_usda_says_so(tmp_path):
    from app import create_app

    app = create_app(base_config(tmp_path, tmp_path / "data"))
    result = app.test_cli_runner().invoke(
        args=["ingest", "http://127.0.0.1:9/psd_coffee_csv.zip", "--timeout", "2", "--fallback-demo"])
    assert result.exit_code == 0, result.output
    for path, page in _pages(app).items():
        assert "DEMO DATA." in page and freshness.DEMO_FALLBACK in page, path
