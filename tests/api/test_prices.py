"""GET /api/v1/prices over real HTTP on the shared server (real coffee data, both Pink Sheet editions).

Expected values: tests/data/prices_raw.py, pandas over the xlsx files.
"""
import csv
import io

import pytest
import requests
from openapi_schema_validator import OAS31Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.data.prices_raw import CENTS_PER_LB_FROM_USD_PER_KG, monthly

ATTRIBUTION = "World Bank Commodity Price Data (The Pink Sheet), CC BY 4.0"


@pytest.fixture
def get(live_server, subscriber_session):
    """Return a function that GETs the prices API as the subscriber."""
    def _get(params):
        return subscriber_session.get(f"{live_server.url}/api/v1/prices", params=params, timeout=30)
    return _get


def test_every_coffee_price_equals_the_file_in_cents_a_pound(get):
    response = get({})
    assert response.status_code == 200
    body = response.json()
    assert (body["commodity"], body["series"], body["release"], body["as_of"]) == (
        "coffee", ["arabica", "robusta"], "2025-05", None)
    assert body["attribution"] == ATTRIBUTION
    for slug in ("arabica", "robusta"):
        expected = monthly("2025-05", slug, CENTS_PER_LB_FROM_USD_PER_KG)
        rows = [r for r in body["rows"] if r["series"] == slug]
        assert [r["month"] for r in rows] == list(expected.index)
        assert [r["value"] for r in rows] == pytest.approx(expected.tolist(), rel=1e-12)
        assert {r["unit"] for r in rows} == {"US cents/lb"}
    assert set(body["rows"][0]) == {"month", "series", "value", "unit"}


def test_series_start_end_and_csv_with_the_attribution(get):
    response = get({"series": "robusta", "start": "2023-01", "end": "2023-12", "format": "csv"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    first, rest = response.text.split("\n", 1)
    assert first == f"# Source: {ATTRIBUTION}; edition 2025-05"
    rows = list(csv.DictReader(io.StringIO(rest)))
    expected = monthly("2025-05", "robusta", CENTS_PER_LB_FROM_USD_PER_KG).loc["2023-01":"2023-12"]
    assert [r["month"] for r in rows] == list(expected.index) and len(rows) == 12
    assert [float(r["value"]) for r in rows] == pytest.approx(expected.tolist(), rel=1e-12)


def test_as_of_answers_the_december_edition_as_published(get):
    body = get({"series": "arabica", "as_of": "2024-12"}).json()
    expected = monthly("2024-12", "arabica", CENTS_PER_LB_FROM_USD_PER_KG)
    assert body["as_of"] == body["release"] == "2024-12"
    assert body["rows"][-1]["month"] == "2024-11" == expected.index[-1]
    assert [r["value"] for r in body["rows"]] == pytest.approx(expected.tolist(), rel=1e-12)


@pytest.mark.parametrize("params,reason", [
    ({"series": "maize"}, "unknown series 'maize' for coffee"),
    ({"commodity": "tea"}, "unknown commodity 'tea'"),
    ({"commodity": "oats"}, "oats has no World Bank price series"),
    ({"start": "2024-13"}, "start must be a month YYYY-MM"),
    ({"start": "2024-05", "end": "2024-01"}, "start must not be after end"),
    ({"as_of": "2023-01"}, "unknown prices release '2023-01'"),
    ({"format": "xml"}, "format must be json or csv"),
])
def test_bad_parameters_are_a_400_with_the_reason(get, params, reason):
    response = get(params)
    assert response.status_code == 400 and response.headers["Content-Type"].startswith("application/json")
    assert reason in response.json()["error"]


def test_grain_series_by_slug_or_psd_code(get):
    for commodity in ("wheat", "0410000"):
        body = get({"commodity": commodity, "series": "hrw,srw", "start": "2025-01"}).json()
        for slug in ("hrw", "srw"):
            rows = [r for r in body["rows"] if r["series"] == slug]
            assert [r["value"] for r in rows] == pytest.approx(monthly("2025-05", slug).loc["2025-01":].tolist())
            assert {r["unit"] for r in rows} == {"$/t"}


def test_access_is_a_subscribers(live_server, free_session):
    assert requests.get(f"{live_server.url}/api/v1/prices", timeout=30).status_code == 401
    assert free_session.get(f"{live_server.url}/api/v1/prices", timeout=30).status_code == 403


def test_the_openapi_document_describes_it_and_its_examples_run(live_server, subscriber_session):
    from openapi_spec_validator import validate

    document = requests.get(f"{live_server.url}/docs/api/openapi.json", timeout=30).json()
    validate(document)
    operation = document["paths"]["/api/v1/prices"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"commodity", "series", "start", "end", "format", "as_of"}
    assert {"200", "400", "401", "403", "503"} <= set(operation["responses"])
    registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(document))
    validator = OAS31Validator({"$ref": "urn:doc#/components/schemas/Prices"}, registry=registry)
    page = requests.get(f"{live_server.url}/docs/api", timeout=30).text
    links = [line.split('"')[0].replace("&amp;", "&") for line in page.split('href="')[1:]
             if line.startswith("/api/v1/prices")]
    assert len(links) == 3
    for url in links:
        response = subscriber_session.get(live_server.url + url, timeout=30)
        assert response.status_code == 200, url
        if "format=csv" not in url:
            validator.validate(response.json())
            assert response.json()["rows"], url
