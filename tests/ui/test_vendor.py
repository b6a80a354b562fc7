"""Vendored third-party scripts: served from vendor/ beside their licences, and nothing else from there."""
import re

import pytest

from ui import vendor


def test_each_vendored_script_sits_beside_its_licence_and_is_in_every_page(client):
    page = client.get("/").get_data(as_text=True)
    for name, url in zip(vendor.SCRIPTS, vendor.urls()):
        assert (vendor.VENDOR / name).parent.joinpath("LICENSE").read_text().startswith("MIT License"), name
        assert f'<script src="{url}"></script>' in page
        response = client.get(url, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200 and response.data == (vendor.VENDOR / name).read_bytes()
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not re.search(r'src="/assets/(plotly-custom|regenerator)', page)


@pytest.mark.parametrize("path", ["/vendor/plotly/build.js", "/vendor/plotly/package.json", "/vendor/README.md",
                                  "/vendor/plotly/../README.md", "/vendor/regenerator-runtime/LICENSE"])
def test_nothing_else_under_vendor_is_served(client, path):
    assert client.get(path).status_code == 404


def test_scripts_are_versioned_by_their_content():
    for name, url in zip(vendor.SCRIPTS, vendor.urls()):
        assert re.fullmatch(rf"/vendor/{re.escape(name)}\?v=[0-9a-f]{{12}}", url)
