"""Identical chart callbacks are answered from the cache, compressed once per encoding."""
import gzip

import brotli
import pytest

from tests.harness import dash_client as dc

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_cached_chart_response_is_compressed_once(app, client, monkeypatch, encoding):
    from tests.billing.conftest import add_user, login
    from web import compression

    login(client, app, add_user(app, "cached@example.com", access_granted=True))
    body = dc.drawn_body(client, "/dashboards/production", "production-by-country-graph")
    csrf = client.get_cookie("_csrf_token").value
    headers = {"X-CSRFToken": csrf, "Accept-Encoding": encoding}
    plain = client.post("/_dash-update-component", json=body, headers={**headers, "Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers

    calls = []
    for name in ("brotli", "gzip"):
        module = getattr(compression, name)
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


def _overview(app, client, email):
    """Log a subscriber in on client; return a KPI callback body builder and the CSRF token."""
    from tests.billing.conftest import add_user, login

    login(client, app, add_user(app, email, access_granted=True))
    client.get("/dashboards/overview")
    spec = dc.find(client.get("/_dash-dependencies").get_json(), "overview-kpis", "children")

    def kpi_body(year, release=None):
        return dc.body(spec, {("overview-year", "value"): year, ("overview-units", "value"): "tonnes",
                              ("overview-release", "children"): release})

    return kpi_body, client.get_cookie("_csrf_token").value


def _kept(monkeypatch, prefix):
    """Return a list of the keys stored in the app's cache under prefix from now on."""
    from extensions import cache

    kept = []
    original = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *a, **k: (key.startswith(prefix) and kept.append(key))
                        or original(key, *a, **k))
    return kept


def _cards(response):
    """Return how many KPI cards a KPI callback answer draws."""
    return str(response.get_json()["response"]["overview-kpis"]["children"]).count("kpi-value")


def test_answers_are_keyed_by_validated_inputs(app, client, monkeypatch):
    kpi_body, csrf = _overview(app, client, "keyed@example.com")
    kept = _kept(monkeypatch, "view-response")
    answers = [client.post("/_dash-update-component", json=kpi_body(year), headers={"X-CSRFToken": csrf})
               for year in (2020, "2020", 2020.0, " 2020 ")]
    assert [a.status_code for a in answers] == [200] * 4
    assert len({a.data for a in answers}) == 1 and _cards(answers[0]) >= 4
    assert len(kept) == 1  # one chart, one validated year: one entry, whatever the spelling


def test_a_validation_error_is_not_kept(app, client, monkeypatch):
    kpi_body, csrf = _overview(app, client, "invalid@example.com")
    kept = _kept(monkeypatch, "view-response")
    for release in ("1999-01", "not a release", 12):
        wrong = client.post("/_dash-update-component", json=kpi_body(2020, release), headers={"X-CSRFToken": csrf})
        assert wrong.status_code == 200 and "Check the filters" in wrong.get_data(as_text=True)
    assert kept == []
    client.post("/_dash-update-component", json=kpi_body(2020), headers={"X-CSRFToken": csrf})
    assert len(kept) == 1  # the spy sees what is kept


def test_a_failed_chart_is_not_kept_by_either_cache(app, client, monkeypatch):
    from data.queries import metrics as queries

    kpi_body, csrf = _overview(app, client, "fault@example.com")
    working = queries.world_series
    monkeypatch.setattr(queries, "world_series", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("transient")))
    failed = client.post("/_dash-update-component", json=kpi_body(2019), headers={"X-CSRFToken": csrf})
    assert failed.status_code == 200 and "failed to load" in failed.get_data(as_text=True)
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/dashboards/overview?year=2019"})
    assert "failed to load" in layout.get_data(as_text=True)
    monkeypatch.setattr(queries, "world_series", working)  # the fault passes
    again = client.post("/_dash-update-component", json=kpi_body(2019), headers={"X-CSRFToken": csrf})
    assert _cards(again) >= 4 and "failed to load" not in again.get_data(as_text=True)
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/dashboards/overview?year=2019"})
    assert "failed to load" not in layout.get_data(as_text=True) and "kpi-value" in layout.get_data(as_text=True)
