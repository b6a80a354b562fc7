"""No request can make a cache hand an error to others: bad JSON is refused, error views are never kept."""
import json
import os
import shutil

import pytest
import requests

from tests.harness import dash_client as dc
from tests.harness.live import create_user, login_session, migrate_database, start_server

KPIS = "overview-kpis"
# The reproduction, as a free user's browser would send it but for the release's value.
KPI_BODY = ('{"output":"..overview-kpis.children...overview-kpi-message.children..","outputs":[{"id":"overview-kpis",'
            '"property":"children"},{"id":"overview-kpi-message","property":"children"}],"inputs":[{"id":'
            '"overview-year","property":"value","value":1967},{"id":"overview-units","property":"value","value":'
            '"tonnes"},{"id":"overview-release","property":"children","value":RELEASE},{"id":"overview-commodity","property":'
            '"children","value":null}],'
            '"changedPropIds":["overview-units.value"]}')


def _post(server, session, raw):
    """POST a raw callback body on a fresh connection (so either worker may answer)."""
    headers = {"X-CSRFToken": session.cookies.get("_csrf_token", ""), "Content-Type": "application/json",
               "Connection": "close"}
    return requests.post(f"{server.url}/_dash-update-component", data=raw, headers=headers,
                         cookies=requests.utils.dict_from_cookiejar(session.cookies), timeout=60)


def _kpi_cards(response):
    """Return (number of KPI cards drawn, the message shown) of a KPI callback answer."""
    outputs = response.json()["response"]
    return json.dumps(outputs[KPIS]["children"]).count("kpi-value"), outputs["overview-kpi-message"]["children"]


@pytest.fixture(scope="module")
def free_user(two_workers):
    """Return a logged-in user without a subscription (the overview is theirs), holding its CSRF cookie."""
    session = login_session(two_workers, create_user(two_workers, "poisoner@example.com"))
    session.get(f"{two_workers.url}/dashboards/overview", timeout=30)
    return session


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999"])
def test_non_standard_json_is_a_400_and_poisons_nothing(two_workers, free_user, constant):
    for _ in range(4):
        refused = _post(two_workers, free_user, KPI_BODY.replace("RELEASE", constant))
        assert refused.status_code == 400 and "error" in refused.json()
    for _ in range(4):
        honest = _post(two_workers, free_user, KPI_BODY.replace("RELEASE", "null"))
        assert honest.status_code == 200
        cards, message = _kpi_cards(honest)
        assert cards >= 4 and not message, honest.text[:300]


def test_a_validation_error_is_never_kept(two_workers, free_user):
    for _ in range(4):
        wrong = _post(two_workers, free_user, KPI_BODY.replace("RELEASE", '"1999-01"'))
        assert wrong.status_code == 200 and "unknown release" in json.dumps(wrong.json())
    honest = _post(two_workers, free_user, KPI_BODY.replace("RELEASE", "null"))
    assert _kpi_cards(honest)[0] >= 4


@pytest.fixture
def empty_server(tmp_path):
    """Return a two-worker gunicorn whose data directory holds no serving file yet, and that directory."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    database_url = f"sqlite:///{tmp_path / 'users.db'}"
    migrate_database(database_url, data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(data_dir)}, workers=2)
    yield server, data_dir
    server.stop()


def test_before_the_first_ingest_charts_say_no_data_and_draw_once_it_arrives(empty_server, real_data_dir):
    server, data_dir = empty_server
    session = login_session(server, create_user(server, "early@example.com", "--comp"))
    session.get(f"{server.url}/dashboards/overview", timeout=30)
    deps = dc.DashClient(session, server.url).dependencies()
    production = dc.body(dc.find(deps, "production-by-country-graph", "figure"), {
        ("production-countries", "value"): ["BRA", "VNM"], ("production-range", "value"): [2001, 2020],
        ("production-units", "value"): "bags", ("production-metric", "value"): "production",
        ("production-enso", "value"): "off", ("production-release", "children"): None,
        ("production-commodity", "children"): None})
    raw = json.dumps(production)
    for _ in range(4):
        early = _post(server, session, raw)
        assert early.status_code == 200, early.text[:300]
        assert "No data loaded yet" in early.text
        kpis = _post(server, session, KPI_BODY.replace("RELEASE", "null"))
        assert kpis.status_code == 200 and "No data loaded yet" in kpis.text
    # An export swaps the serving file in (copied, then renamed into place, as export does).
    shutil.copy(real_data_dir / "serving.duckdb", data_dir / "serving.tmp")
    os.replace(data_dir / "serving.tmp", data_dir / "serving.duckdb")
    for _ in range(4):
        drawn = _post(server, session, raw)
        assert drawn.status_code == 200 and "No data loaded yet" not in drawn.text
        names = {t.get("name") for t in drawn.json()["response"]["production-by-country-graph"]["figure"]["data"]}
        assert {"Brazil", "Vietnam"} <= names
        assert _kpi_cards(_post(server, session, KPI_BODY.replace("RELEASE", "null")))[0] >= 4
