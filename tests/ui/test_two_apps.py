"""create_app builds two apps with different pages in one process: each routes, gates and declares only its own."""
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import base_config

ROOT = Path(__file__).resolve().parent.parent.parent
NEW_PAGE = ROOT / "tests" / "dashboards" / "new_page"


@pytest.fixture
def two_apps(tmp_path, monkeypatch):
    """Return (the shipped pages' app, an app with a throwaway page beside them), built in this process."""
    from app import create_app
    from callbacks import page

    # The throwaway page's declaration stays out of the process-wide catalogue other tests enumerate.
    monkeypatch.setattr(page, "PAGES", dict(page.PAGES))
    monkeypatch.setattr(page, "CHARTS", list(page.CHARTS))
    monkeypatch.syspath_prepend(str(NEW_PAGE))
    monkeypatch.delitem(sys.modules, "throwaway_callbacks", raising=False)
    pages = shutil.copytree(ROOT / "pages", tmp_path / "pages")
    shutil.copy(NEW_PAGE / "pages" / "throwaway.py", pages)
    shipped = create_app(base_config(tmp_path / "a", tmp_path / "data"))
    extended = create_app({**base_config(tmp_path / "b", tmp_path / "data"), "PAGES_FOLDER": str(pages)})
    yield shipped, extended
    sys.modules.pop("throwaway_callbacks", None)


def outputs(app):
    """Return the outputs of every callback the app's Dash declares to the browser."""
    return " ".join(entry["output"] for entry in app.test_client().get("/_dash-dependencies").get_json())


def test_two_apps_with_different_pages_in_one_process(two_apps):
    import registry

    shipped, extended = two_apps
    paths = {name: {p["path"] for p in registry.of(app).dash_pages.values()}
             for name, app in (("shipped", shipped), ("extended", extended))}
    assert paths["extended"] - paths["shipped"] == {"/throwaway"} and paths["shipped"] < paths["extended"]
    # Each routes its own pages, the first one unchanged by the second's building.
    assert shipped.test_client().get("/throwaway").status_code == 404
    answer = extended.test_client().get("/throwaway")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    for app in two_apps:
        assert app.test_client().get("/dashboards/overview").status_code == 302
        assert app.test_client().get("/").status_code == 200
    # And declares only its own pages' callbacks to the browser.
    assert "throwaway-top" not in outputs(shipped) and "throwaway-top" in outputs(extended)
    assert "overview-" in outputs(shipped) and "overview-" in outputs(extended)
