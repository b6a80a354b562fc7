"""/docs/api and its OpenAPI document over real HTTP: valid, public, and every example runs."""
import html
import re
import shlex
import subprocess

import pytest
import requests
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.web.html_rows import table_rows

# The response schema of each endpoint whose worked examples the shared server lists (it loads no ENSO data).
SCHEMAS = {"/api/v1/metrics": "Metrics", "/api/v1/prices": "Prices", "/api/v1/commodities": "Commodities"}
PARAMETERS = {"metric", "country", "start", "end", "format", "as_of", "commodity"}
IMPORTS = 57


@pytest.fixture(scope="module")
def document(live_server):
    """Return the OpenAPI document as an anonymous visitor gets it."""
    response = requests.get(f"{live_server.url}/docs/api/openapi.json", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    return response.json()


def examples(document):
    """Return (media type, summary, URL) of every example with a URL in the document."""
    found = []
    for item in document["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                for media, content in response.get("content", {}).items():
                    for example in content.get("examples", {}).values():
                        if "externalValue" in example:
                            found.append((media, example["summary"], example["externalValue"]))
    return found


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.")
    operation = document["paths"]["/api/v1/metrics"]["get"]
    assert {p["name"] for p in operation["parameters"]} == PARAMETERS
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    assert {"bearerToken", "sessionCookie"} == set(document["components"]["securitySchemes"])
    country = next(p for p in operation["parameters"] if p["name"] == "country")
    assert "WORLD" in country["description"] and "REGION:<name>" in country["description"]


def test_every_example_answers_200_for_a_subscriber_and_matches_the_schema(document, live_server, subscriber_session):
    found = examples(document)
    assert any("REGION" in url for _, _, url in found)
    assert len(found) >= 7 and {m for m, _, _ in found} == {"application/json", "text/csv"}
    registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(document))
    assert any(url == "/api/v1/commodities" for _, _, url in found)
    for media, summary, url in found:
        response = subscriber_session.get(live_server.url + url, timeout=30)
        assert response.status_code == 200, (summary, url, response.text[:300])
        assert response.headers["Content-Type"].startswith(media), (url, response.headers["Content-Type"])
        listing = url.startswith("/api/v1/commodities")
        if media == "application/json":
            schema = {"$ref": f"urn:doc#/components/schemas/{SCHEMAS[url.split('?')[0]]}"}
            OAS31Validator(schema, registry=registry).validate(response.json())
            assert response.json()["commodities" if listing else "rows"], url
        anonymous = requests.get(live_server.url + url, timeout=30)
        assert anonymous.status_code == 401 and set(anonymous.json()) == {"error"}


def test_the_not_reported_example_is_null_where_the_raw_file_is(document, live_server, subscriber_session,
                                                                raw_by_code):
    url = next(u for _, summary, u in examples(document) if "null" in summary)
    rows = subscriber_session.get(live_server.url + url, timeout=30).json()["rows"]
    assert len(rows) == 7
    nulls = 0
    for row in rows:
        raw = raw_by_code.loc[(row["country_code"], row["market_year"]), IMPORTS]
        if raw != raw:  # NaN: the country-year did not report
            assert row["imports"] is None, row
            nulls += 1
        else:
            assert row["imports"] == pytest.approx(raw), row
    assert nulls == 4  # Japan, 1998-2001


def test_a_bad_parameter_answers_the_documented_error_shape(document, live_server, subscriber_session):
    operation = document["paths"]["/api/v1/metrics"]["get"]
    example = operation["responses"]["400"]["content"]["application/json"]["example"]
    response = subscriber_session.get(f"{live_server.url}/api/v1/metrics",
                                      params={"metric": "production", "start": 2020, "end": 2010}, timeout=30)
    assert response.status_code == 400 and response.json() == example


def test_the_page_is_public_and_shows_every_parameter_and_example(document, live_server):
    response = requests.get(f"{live_server.url}/docs/api", timeout=30)
    assert response.status_code == 200
    page = response.text
    # Every endpoint's parameters: the metrics', and /api/v1/prices adds series (the others share names).
    assert {r["attrs"]["parameter"] for r in table_rows(page, "api-docs-parameters")} == PARAMETERS | {"series"}
    links = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)" class="api-docs-example"', page)]
    assert sorted(links) == sorted(url for _, _, url in examples(document))
    curls = [html.unescape(c) for c in re.findall(r"<code>(curl [^<]+)</code>", page)]
    assert len(curls) == len(links)
    assert all('-H "Authorization: Bearer <token>"' in c for c in curls)
    assert "null" in page and "/docs/api/openapi.json" in page


def _token(session, server):
    """Create an API token on /account as session's user; return it."""
    account = session.get(f"{server.url}/account", timeout=30).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', account).group(1)
    created = session.post(f"{server.url}/account/tokens", data={"csrf_token": csrf, "name": "curl"}, timeout=30).text
    return re.search(r'id="account-new-token">([^<]+)<', created).group(1)


def test_the_curl_lines_run_with_a_token_from_the_account_page(live_server, subscriber_session):
    page = requests.get(f"{live_server.url}/docs/api", timeout=30).text
    token = _token(subscriber_session, live_server)
    curls = [html.unescape(c) for c in re.findall(r"<code>(curl [^<]+)</code>", page)]
    for line in curls:
        args = shlex.split(line.replace("<token>", token))
        assert args[0] == "curl" and args[-1].startswith(live_server.url + "/api/v1/"), line
        done = subprocess.run([*args, "-s", "-o", "/dev/null", "-w", "%{http_code}"], capture_output=True,
                              text=True, timeout=60)
        assert done.stdout == "200", (line, done.stdout, done.stderr)


@pytest.mark.browser
def test_a_subscriber_runs_an_example_from_the_page(subscriber_page, live_server):
    subscriber_page.goto(f"{live_server.url}/docs/api")
    assert subscriber_page.console_errors == []
    link = subscriber_page.locator("a.api-docs-example", has_text="Japan")
    with subscriber_page.expect_response(lambda r: "/api/v1/metrics?" in r.url) as answer:
        link.click()
    assert answer.value.status == 200
    body = answer.value.json()
    # Chromium then asks for /favicon.ico beside the JSON, which this app does not serve (404).
    assert body["metrics"] == ["imports"] and [r["imports"] for r in body["rows"]][:4] == [None] * 4
