"""Compression and caching over HTTP against a running gunicorn."""
import gzip
import re

import brotli
import pytest
import requests

from tests.harness.charts import chart_bodies

IMMUTABLE = "public, max-age=31536000, immutable"
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.fixture(scope="module")
def production_html(live_server, subscriber_session):
    """Return the HTML of the Production dashboard."""
    response = subscriber_session.get(f"{live_server.url}/dashboards/production", timeout=30)
    assert response.status_code == 200
    return response.text


def script_and_style_urls(html):
    """Return the src and href of every script and stylesheet in html."""
    return re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_versioned_scripts_and_styles_are_compressed_and_immutable(live_server, production_html, encoding):
    urls = script_and_style_urls(production_html)
    assert len(urls) >= 10
    for url in urls:
        plain = requests.get(f"{live_server.url}{url}", headers={"Accept-Encoding": "identity"}, timeout=30).content
        response = requests.get(f"{live_server.url}{url}", headers={"Accept-Encoding": encoding}, timeout=30,
                                stream=True)
        wire = response.raw.read(decode_content=False)
        assert response.status_code == 200, url
        assert response.headers.get("Cache-Control") == IMMUTABLE, url
        if len(plain) > 1000:
            assert response.headers.get("Content-Encoding") == encoding, url
            assert DECODE[encoding](wire) == plain and len(wire) < len(plain) * 0.6, url


def test_plain_request_and_unversioned_url_are_left_alone(live_server):
    response = requests.get(f"{live_server.url}/assets/dashboards.js", headers={"Accept-Encoding": "identity"},
                            timeout=30)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_callback_responses_compressed_and_cached_response_still_whole(live_server, subscriber_session):
    url = f"{live_server.url}/_dash-update-component"
    headers = {"X-CSRFToken": subscriber_session.cookies.get("_csrf_token", "")}
    for _, body in chart_bodies(live_server, subscriber_session)[:3]:
        plain = subscriber_session.post(url, json=body, headers={**headers, "Accept-Encoding": "identity"},
                                        timeout=60)
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
        # The first of these may fill the chart response cache, the next ones are answered from it.
        for encoding in ("br", "gzip", "br", "identity"):
            response = subscriber_session.post(url, json=body, headers={**headers, "Accept-Encoding": encoding},
                                               timeout=60)
            assert response.status_code == 200
            assert response.headers.get("Content-Encoding", "identity") == (
                encoding if len(plain.content) >= 500 else "identity")
            assert response.json() == plain.json()
            assert re.fullmatch(r"app;dur=[0-9.]+(, compress;dur=[0-9.]+)?", response.headers["Server-Timing"])


def test_dash_table_and_grid_bundle_not_in_pages(production_html):
    urls = script_and_style_urls(production_html)
    assert not [u for u in urls if "dash_table" in u or "dash_ag_grid" in u]
    assert any("plotly-custom.min.js" in u for u in urls)
    assert not [u for u in urls if "package_data/plotly" in u]


def test_lazy_bundles_named_in_the_page_are_served(live_server, production_html):
    tags = re.findall(r'<meta name="beanflows-lazy-bundle" content="([^"]+)"', production_html)
    assert {tag.split(" ")[0] for tag in tags} == {"dash_ag_grid", "dash_table"}
    for tag in tags:
        namespace, _, url = tag.split(" ")
        response = requests.get(f"{live_server.url}{url}", timeout=30)
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE, url
        assert f"window.{namespace}" in response.text or f'"{namespace}"' in response.text, url
