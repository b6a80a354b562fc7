"""GET /api/v1/enso over real HTTP on a server with the real USDA and ONI data, checked against the raw file."""
import csv
import io

import pytest
import requests
from openapi_schema_validator import OAS31Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.conftest import create_user, login_session
from tests.data.enso_fixtures import oni_frame
from tests.data.test_enso_phases import expected_phases


@pytest.fixture(scope="module")
def subscriber(enso_server):
    """Return a subscriber's session on the ENSO server."""
    return login_session(enso_server, create_user(enso_server, "enso-analyst@example.com", "--comp"))


@pytest.fixture
def get(enso_server, subscriber):
    """Return a function that GETs the ENSO API as the subscriber."""
    def _get(params):
        return subscriber.get(f"{enso_server.url}/api/v1/enso", params=params, timeout=30)
    return _get


def test_every_season_equals_the_file(get):
    response = get({})
    assert response.status_code == 200
    body = response.json()
    assert body["release"] == "2026-08" and body["as_of"] is None and body["kind"] == "seasons"
    assert body["rows"][0] == {"season": "DJF", "year": 1950, "oni": -1.32, "total": 25.01}
    expected = oni_frame().to_dict("records")
    assert body["rows"] == [{"season": r["season"], "year": r["year"], "oni": r["oni"], "total": r["total"]}
                            for r in expected]


def test_start_end_and_csv(get):
    response = get({"start": "1997", "end": "1998", "format": "csv"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    frame = oni_frame()
    expected = frame[(frame["year"] >= 1997) & (frame["year"] <= 1998)]
    assert len(rows) == 24
    assert [float(r["oni"]) for r in rows] == expected["oni"].tolist()
    assert [r["season"] for r in rows[:2]] == ["DJF", "JFM"]


def test_phase_rows_follow_the_rule(get):
    response = get([("country", "BRA"), ("country", "vnm"), ("start", "1990"), ("end", "2023")])
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "phases" and "five consecutive" in body["rule"]
    for code in ("BRA", "VNM"):
        rows = {r["market_year"]: r for r in body["rows"] if r["country_code"] == code}
        expected = expected_phases(code, range(1990, 2024))
        assert sorted(rows) == sorted(expected)
        for year, (oni, phase) in expected.items():
            assert rows[year]["phase"] == phase and rows[year]["oni"] == pytest.approx(oni, abs=1e-4)
    brazil_2016 = next(r for r in body["rows"] if r["country_code"] == "BRA" and r["market_year"] == 2016)
    assert (brazil_2016["window_start"], brazil_2016["window_end"]) == ("Jul 2015", "Jun 2016")


@pytest.mark.parametrize("params, message", [
    ({"start": "x"}, "start must be an integer"),
    ({"start": "2000", "end": "1990"}, "start must not be after end"),
    ({"format": "xml"}, "format must be json or csv"),
    ({"as_of": "1999-01"}, "unknown ENSO release '1999-01'"),
    ({"country": "ATLANTIS"}, "unknown country 'ATLANTIS'"),
    ({"start": "1" * 40}, "start must be an integer"),
    ({"country": "BRA", "commodity": "cocoa"}, "cocoa"),
])
def test_bad_parameters_answer_400_json(get, params, message):
    response = get(params)
    assert response.status_code == 400
    assert set(response.json()) == {"error"} and message in response.json()["error"]


def test_subscribers_only(enso_server):
    anonymous = requests.get(f"{enso_server.url}/api/v1/enso", timeout=30)
    assert anonymous.status_code == 401 and set(anonymous.json()) == {"error"}
    free = login_session(enso_server, create_user(enso_server, "enso-free@example.com"))
    assert free.get(f"{enso_server.url}/api/v1/enso", timeout=30).status_code == 403


def test_the_openapi_document_describes_it_and_its_examples_run(enso_server, subscriber):
    from openapi_spec_validator import validate

    document = requests.get(f"{enso_server.url}/docs/api/openapi.json", timeout=30).json()
    validate(document)
    operation = document["paths"]["/api/v1/enso"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"start", "end", "country", "format", "as_of", "commodity"}
    assert {"200", "400", "401", "403", "503"} <= set(operation["responses"])
    content = operation["responses"]["200"]["content"]
    registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(document))
    validator = OAS31Validator({"$ref": "urn:doc#/components/schemas/Enso"}, registry=registry)
    validator.validate(content["application/json"]["examples"]["seasons-body"]["value"])
    links = [(media, e["externalValue"]) for media, c in content.items()
             for e in c.get("examples", {}).values() if "externalValue" in e]
    assert len(links) == 3
    for media, url in links:
        response = subscriber.get(enso_server.url + url, timeout=30)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media), url
        if media == "application/json":
            validator.validate(response.json())
    page = requests.get(f"{enso_server.url}/docs/api", timeout=30).text
    assert "GET /api/v1/enso" in page and all(url.replace("&", "&amp;") in page for _, url in links)


def test_without_enso_data_the_api_says_it_is_not_loaded(live_server, subscriber_session):
    response = subscriber_session.get(f"{live_server.url}/api/v1/enso", timeout=30)
    assert response.status_code == 503
    assert response.json() == {"error": "ENSO data is not loaded yet (an operator runs `flask --app app enso ingest`)"}


def test_as_of_answers_an_earlier_release(tmp_path):
    from app import create_app
    from data import pipeline
    from tests.data.conftest import demo_values
    from tests.conftest import base_config
    from tests.data.enso_fixtures import ONI_LINES, with_line
    from tests.harness.live import ONI_TXT
    from web import enso_api

    demo_dir = tmp_path / "data"
    config = {"BEANFLOWS_DATA_DIR": str(demo_dir)}
    pipeline.store(config, demo_values(0)[1], "demo", "demo")
    pipeline.ingest_enso(config, str(ONI_TXT))
    rebased = tmp_path / "oni.txt"
    rebased.write_text(with_line(len(ONI_LINES), "  JJA 2026  29.09   1.70"))
    pipeline.ingest_enso(config, str(rebased), release_id="2026-09")
    app = create_app(base_config(tmp_path, demo_dir))
    answers = {}
    for query in ("start=2026", "start=2026&as_of=2026-08", "start=2026&as_of=2026-09"):
        # The view itself (the gate in front of it is tested over HTTP above).
        with app.test_request_context(f"/api/v1/enso?{query}"):
            body = enso_api.enso().get_json()
        answers[query] = (body["release"], body["as_of"], body["rows"][-1]["oni"])
    assert answers == {"start=2026": ("2026-09", None, 1.70), "start=2026&as_of=2026-08": ("2026-08", "2026-08", 1.80),
                       "start=2026&as_of=2026-09": ("2026-09", "2026-09", 1.70)}
