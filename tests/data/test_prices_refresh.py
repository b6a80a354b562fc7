"""`flask refresh` follows PRICES_URL conditionally beside USDA's file; the history chart marks USDA's releases."""
import pytest

from app import create_app
from tests.conftest import base_config
from tests.data.conftest import read_serving
from tests.data.live_layout import live_zip
from tests.data.test_refresh import FileServer
from tests.harness.live import PINK_SHEETS



@pytest.fixture
def servers():
    """Yield local stand-ins for USDA's and the World Bank's download servers."""
    usda, worldbank = FileServer(), FileServer()
    yield usda, worldbank
    for server in (usda, worldbank):
        server.httpd.shutdown()
        server.httpd.server_close()


def test_refresh_loads_an_edition_only_when_it_changed_and_marks_usda_releases(servers, tmp_path):
    usda, worldbank = servers
    data_dir = tmp_path / "data"
    app = create_app({**base_config(tmp_path, data_dir), "PSD_SOURCE_URL": usda.url, "PRICES_URL": worldbank.url})
    runner = app.test_cli_runner()
    usda.publish(live_zip(tmp_path / "june.zip", 2024, 6), '"u1"')
    worldbank.publish(PINK_SHEETS[0], '"w1"')

    first = runner.invoke(args=["refresh"])
    assert first.exit_code == 0, first.output
    assert "as prices release 2024-12" in first.output

    second = runner.invoke(args=["refresh"])
    assert second.exit_code == 3, second.output
    assert worldbank.requests[-1].get("If-None-Match") == '"w1"'
    assert "Pink Sheet has not changed" in second.output

    worldbank.publish(PINK_SHEETS[1], '"w2"')
    third = runner.invoke(args=["refresh"])
    assert third.exit_code == 0, third.output  # USDA unchanged (304), a new edition: a new release
    editions = read_serving(data_dir, "SELECT release_id FROM prices_releases ORDER BY release_id")
    assert editions["release_id"].tolist() == ["2024-12", "2025-05"]

    with app.test_request_context():
        from callbacks import prices as page

        checked = {"series": "arabica", "years": (2020, 2023)}
        figure, _ = page.history_render(page.history_frame(checked, None), checked, None)
    assert [shape["name"] for shape in figure["layout"]["shapes"]] == ["USDA release 2024-06"]
    assert figure["data"][0]["x"][0] == "2020-10" and figure["data"][0]["x"][-1] == "2025-04"
