"""The DEMO banner says what happened: demo data chosen with `ingest --demo`, or USDA's file unreachable.

The unreachable case is checked where the fallback is loaded (tests/data/test_bad_input.py), so that load runs once.
"""
import html

from tests.conftest import base_config
from ui import freshness

PAGES = ("/_dash-layout", "/login")  # Dash's shell, a template page


def served_pages(app):
    """Return the text of PAGES as app serves them to a visitor."""
    client = app.test_client()
    return {path: html.unescape(client.get(path).get_data(as_text=True)) for path in PAGES}


def test_chosen_demo_data_does_not_blame_usda(tmp_path, demo_releases_dir):
    from app import create_app

    for path, page in served_pages(create_app(base_config(tmp_path, demo_releases_dir))).items():
        assert "DEMO DATA." in page and freshness.DEMO_CHOSEN in page, path
        assert "unreachable" not in page, path

