"""`flask refresh` fetches NOAA's ONI file conditionally beside USDA's; NOAA unreachable loses nothing."""
import hashlib

import pytest

from app import create_app
from tests.conftest import base_config
from tests.data.conftest import read_serving
from tests.data.enso_fixtures import ONI_LINES, with_line
from tests.data.live_layout import live_zip
from tests.data.test_refresh import FileServer
from tests.harness.live import ONI_TXT


@pytest.fixture
def servers():
    """Yield local stand-ins for USDA's and NOAA's download servers."""
    usda, noaa = FileServer(), FileServer()
    yield usda, noaa
    for server in (usda, noaa):
        server.httpd.shutdown()
        server.httpd.server_close()


def test_refresh_loads_noaa_only_when_it_changed(servers, tmp_path):
    usda, noaa = servers
    data_dir = tmp_path / "data"
    runner = create_app({**base_config(tmp_path, data_dir), "PSD_SOURCE_URL": usda.url,
                         "ENSO_SOURCE_URL": noaa.url}).test_cli_runner()
    def seasons():
        return read_serving(data_dir, "SELECT release_id FROM enso_releases")["release_id"].tolist()
    usda.publish(live_zip(tmp_path / "june.zip", 2024, 6), '"u1"')
    noaa.publish(ONI_TXT, '"n1"')

    first = runner.invoke(args=["refresh"])
    assert first.exit_code == 0, first.output
    assert "as ENSO release 2026-08" in first.output
    assert seasons() == ["2026-08"]

    second = runner.invoke(args=["refresh"])
    assert second.exit_code == 3, second.output
    assert noaa.requests[-1].get("If-None-Match") == '"n1"'
    assert "NOAA's ONI file has not changed" in second.output

    rebased = tmp_path / "rebased.txt"
    rebased.write_text(with_line(len(ONI_LINES), "  JJA 2026  29.09   1.70") + "  JAS 2026  29.10   1.90\n")
    noaa.publish(rebased, '"n2"')
    third = runner.invoke(args=["refresh"])
    assert third.exit_code == 0, third.output  # USDA unchanged (304), NOAA new: a new release
    assert seasons() == ["2026-08", "2026-09"]


def test_refresh_with_noaa_unreachable_keeps_the_enso_data(servers, tmp_path):
    usda, noaa = servers
    data_dir = tmp_path / "data"
    settings = {**base_config(tmp_path, data_dir), "PSD_SOURCE_URL": usda.url, "ENSO_SOURCE_URL": noaa.url}
    usda.publish(live_zip(tmp_path / "june.zip", 2024, 6), '"u1"')
    noaa.publish(ONI_TXT, '"n1"')
    assert create_app(settings).test_cli_runner().invoke(args=["refresh"]).exit_code == 0
    before = hashlib.sha256((data_dir / "serving.duckdb").read_bytes()).hexdigest()

    gone = {**settings, "ENSO_SOURCE_URL": "http://127.0.0.1:9/oni.ascii.txt"}
    result = create_app(gone).test_cli_runner().invoke(args=["refresh", "--timeout", "2"])
    assert result.exit_code == 3, result.output  # USDA answered 304; NOAA's failure is reported
    assert "ENSO: http://127.0.0.1:9/oni.ascii.txt: download failed" in result.output
    assert "The ENSO data served is unchanged." in result.output
    assert hashlib.sha256((data_dir / "serving.duckdb").read_bytes()).hexdigest() == before

    error_page = tmp_path / "error.html"
    error_page.write_text("<html><body>Service Unavailable</body></html>")
    noaa.publish(error_page, '"n2"')
    broken = create_app(settings).test_cli_runner().invoke(args=["refresh"])
    assert broken.exit_code == 3, broken.output
    assert "an HTML page, not NOAA's ONI file" in broken.output
    assert hashlib.sha256((data_dir / "serving.duckdb").read_bytes()).hexdigest() == before
