"""Static files are compressed once from their content; a query string never causes work; q=0 is honoured."""
import gzip
import re

import brotli
import pytest

from web import compression

PLOTLY = "/vendor/plotly/plotly-custom.min.js"


def _counting(monkeypatch):
    """Return a list that grows by one each time anything is compressed with brotli or gzip."""
    calls = []
    for module in (brotli, gzip):
        original = module.compress
        monkeypatch.setattr(module, "compress", lambda *a, _o=original, **k: calls.append(1) or _o(*a, **k))
    return calls


def test_a_static_file_is_compressed_once_whatever_its_query_string(client, monkeypatch):
    calls = _counting(monkeypatch)
    plain = client.get(PLOTLY, headers={"Accept-Encoding": "identity"}).data
    assert len(plain) > 1_000_000 and not calls
    first = client.get(PLOTLY + "?v=1", headers={"Accept-Encoding": "br"})
    assert first.headers["Content-Encoding"] == "br" and brotli.decompress(first.data) == plain
    assert len(calls) == 1
    # Made-up versions, hundreds of them (more than any bound a per-URL cache had), then a fresh one.
    for i in range(300):
        assert client.get(f"{PLOTLY}?v=junk{i}", headers={"Accept-Encoding": "br"}).status_code == 200
    again = client.get(PLOTLY + "?v=new", headers={"Accept-Encoding": "br"})
    assert brotli.decompress(again.data) == plain
    assert len(calls) == 1
    gz = client.get(PLOTLY, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain
    assert len(calls) == 2  # one per encoding


def test_the_store_follows_the_file_content_and_keys_by_it(tmp_path, app):
    store = compression.Store()
    path = tmp_path / "x.js"
    path.write_text("a" * 2000)
    size, first = store.file_digest(str(path))
    assert size == 2000 and store.file_digest(str(path))[1] == first
    path.write_text("b" * 2000)  # new content, same size
    assert store.file_digest(str(path))[1] != first
    with app.app_context():
        made = []
        body = store.get(("file", str(path), first), "gzip", lambda: made.append(1) or b"a" * 2000)
        assert store.get(("file", str(path), first), "gzip", lambda: made.append(1) or b"?") == body
        assert made == [1]


def test_the_store_evicts_what_was_used_least_recently(app):
    store = compression.Store(max_bytes=3000)
    with app.app_context():
        for i in range(10):
            store.get(("body", i), "gzip", lambda i=i: bytes(range(256)) * 8 + bytes([i]))
        assert sum(len(v) for v in store._bodies.values()) <= 3000


@pytest.mark.parametrize("header, expected", [
    ("br;q=0, gzip;q=0", None), ("br;q=0, gzip", "gzip"), ("gzip, deflate, br", "br"), ("gzip", "gzip"),
    ("identity", None), ("", None), ("*", "br"), ("*, br;q=0", "gzip"), ("br;q=0.5, gzip;q=0.9", "gzip"),
])
def test_the_encoding_is_the_one_the_browser_takes_most(header, expected):
    assert compression.choose(header) == expected


def test_q_zero_for_every_encoding_gets_the_identity(client):
    for path in (PLOTLY + "?v=1", "/_dash-dependencies", "/"):
        response = client.get(path, headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
        assert response.status_code == 200 and "Content-Encoding" not in response.headers, path


def test_server_timing_counts_the_compression(client):
    response = client.get(PLOTLY + "?v=timing-" + str(id(client)), headers={"Accept-Encoding": "gzip"})
    timing = dict(re.findall(r"(\w+);dur=([0-9.]+)", response.headers["Server-Timing"]))
    assert response.headers["Content-Encoding"] == "gzip"
    assert float(timing["app"]) >= float(timing["compress"]) > 0
