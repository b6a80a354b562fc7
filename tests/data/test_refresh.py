"""`flask refresh` downloads USDA's file conditionally and loads only new content."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app import create_app
from tests.conftest import base_config
from tests.data.conftest import read_serving
from tests.data.live_layout import live_zip


class FileServer:
    """A local HTTP server answering one file with an ETag, and 304 when it still matches."""

    def __init__(self):
        self.body, self.etag, self.requests = b"", "", []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests.append(dict(self.headers))
                if self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.send_header("ETag", server.etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", server.etag)
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/psd_coffee_csv.zip"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def publish(self, path, etag):
        """Serve the bytes of path under etag."""
        self.body, self.etag = path.read_bytes(), etag


@pytest.fixture
def usda():
    """Yield a local stand-in for USDA's download server."""
    server = FileServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_refresh_loads_only_new_content(usda, tmp_path):
    data_dir = tmp_path / "data"
    runner = create_app({**base_config(tmp_path, data_dir), "PSD_SOURCE_URL": usda.url}).test_cli_runner()
    releases = lambda: read_serving(data_dir, "SELECT release_id FROM releases")["release_id"].tolist()  # noqa: E731

    usda.publish(live_zip(tmp_path / "june.zip", 2024, 6), '"v1"')
    first = runner.invoke(args=["refresh"])
    assert first.exit_code == 0, first.output
    assert "as release 2024-06" in first.output
    assert "downloaded" in first.output  # progress
    assert releases() == ["2024-06"]

    second = runner.invoke(args=["refresh"])
    assert second.exit_code == 3, second.output
    assert usda.requests[-1].get("If-None-Match") == '"v1"'
    assert "304 Not Modified" in second.output
    assert releases() == ["2024-06"]

    usda.publish(live_zip(tmp_path / "july.zip", 2024, 7), '"v2"')  # same values, new release month
    same = runner.invoke(args=["refresh"])
    assert same.exit_code == 3, same.output
    assert "No new release" in same.output

    from tests.harness.releases import release_frames

    usda.publish(live_zip(tmp_path / "sept.zip", 2024, 9, frame=release_frames()["2024-09"]), '"v3"')
    third = runner.invoke(args=["refresh"])
    assert third.exit_code == 0, third.output
    assert releases() == ["2024-06", "2024-09"]
    assert runner.invoke(args=["refresh"]).exit_code == 3


def test_refresh_reports_a_server_error(usda, tmp_path):
    data_dir = tmp_path / "data"
    runner = create_app({**base_config(tmp_path, data_dir), "PSD_SOURCE_URL": usda.url + "x"}).test_cli_runner()
    usda.publish(live_zip(tmp_path / "june.zip", 2024, 6), '"v1"')
    usda.httpd.shutdown()
    usda.httpd.server_close()
    result = runner.invoke(args=["refresh", "--timeout", "2"])
    assert result.exit_code == 1
    assert "download failed" in result.output and "Nothing was written" in result.output
    assert not (data_dir / "serving.duckdb").exists()
