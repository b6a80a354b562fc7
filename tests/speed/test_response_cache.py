"""Identical chart callbacks are answered from the cache, compressed once per encoding."""
import gzip

import brotli
import pytest

from tests.harness import dash_client as dc

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_cached_chart_response_is_compressed_once(app, client, monkeypatch, encoding):
    from tests.billing.conftest import add_user, login
    from ui import response_cache

    login(client, app, add_user(app, "cached@example.com", access_granted=True))
    client.get("/dashboards/production")
    csrf = client.get_cookie("_csrf_token").value
    deps = client.get("/_dash-dependencies").get_json()
    props = dc.walk_props(client.get("/_dash-layout", headers={"Referer": "http://localhost/dashboards/production"})
                          .get_json())
    spec = dc.find(deps, "production-by-country-graph", "figure")
    values = {(i["id"], i["property"]): props[i["id"]][i["property"]] for i in spec["inputs"]}
    body = dc.body(spec, values)
    headers = {"X-CSRFToken": csrf, "Accept-Encoding": encoding}
    plain = client.post("/_dash-update-component", json=body, headers={**headers, "Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers

    calls = []
    for name in ("brotli", "gzip"):
        module = getattr(response_cache, name)
        original = module.compress
        monkeypatch.setattr(module, "compress", lambda *a, _o=original, **k: calls.append(1) or _o(*a, **k))
    bodies = []
    for _ in range(3):
        response = client.post("/_dash-update-component", json=body, headers=headers)
        assert response.status_code == 200 and response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        bodies.append(DECODE[encoding](response.data))
    assert bodies == [plain.data] * 3
    assert len(calls) == 1  # the first answer from the cache compressed it; the next ones reuse the bytes
