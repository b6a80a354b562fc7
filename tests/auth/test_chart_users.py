"""Chart callbacks reuse their user for CHART_USER_SECONDS; every other request checks the database."""
import time

import sqlalchemy as sa

from tests.harness import dash_client as dc
from tests.harness.charts import chart_bodies
from tests.harness.live import create_user, login_session

WINDOW = 1.0  # the live server runs with the default CHART_USER_SECONDS


def _set_active(server, email, active):
    """Switch a user on or off straight in the users database, as another host would."""
    engine = sa.create_engine(server.env["DATABASE_URL"])
    with engine.begin() as con:
        con.execute(sa.text("UPDATE users SET active = :active WHERE email = :email"),
                    {"active": active, "email": email})
    engine.dispose()


def test_a_disabled_user_loses_charts_within_the_window_and_everything_else_at_once(live_server):
    email = create_user(live_server, "chart-window@example.com", "--comp")
    session = login_session(live_server, email)
    client = dc.DashClient(session, live_server.url)
    name, body = chart_bodies(live_server, session)[0]
    download = dc.body(client.find(name + "-csv", "data"),
                       {(i["id"], i["property"]): i["value"] for i in body["inputs"]} | {(name + "-csv-button", "n_clicks"): 1})
    assert client.post(body).status_code == 200

    _set_active(live_server, email, False)
    disabled_at = time.monotonic()
    assert session.get(f"{live_server.url}/dashboards/production", allow_redirects=False, timeout=30).status_code == 302
    assert session.get(f"{live_server.url}/api/v1/metrics?metric=production&country=BRA", timeout=30).status_code == 401
    assert client.post(download).status_code == 401
    while client.post(body).status_code == 200:
        assert time.monotonic() - disabled_at < WINDOW + 2, "chart callbacks still answer a disabled user"
        time.sleep(0.05)
    assert client.post(body).status_code == 401


def test_a_burst_of_chart_callbacks_loads_the_user_once(app, client):
    from extensions import db
    from tests.billing.conftest import add_user, login

    login(client, app, add_user(app, "burst@example.com", access_granted=True))
    client.get("/dashboards/overview")
    csrf = client.get_cookie("_csrf_token").value
    deps = client.get("/_dash-dependencies").get_json()
    router = dc.body(dc.find(deps, dc.ROUTER_OUTPUT), {(dc.ROUTER_LOCATION, "pathname"): "/dashboards/overview",
                                                      (dc.ROUTER_LOCATION, "search"): ""})
    props = dc.walk_props(client.post("/_dash-update-component", json=router, headers={"X-CSRFToken": csrf})
                          .get_json()["response"][dc.ROUTER_OUTPUT]["children"])
    values = {(cid, prop): value for cid, p in props.items() for prop, value in p.items()}
    charts = [spec for spec in deps if spec["output"].startswith("..overview-") and "graph.figure" in spec["output"]]
    assert len(charts) >= 2

    loads = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: "FROM users" in a[2] and loads.append(a[2]))
    for _ in range(3):
        for spec in charts:
            response = client.post("/_dash-update-component", json=dc.body(spec, values), headers={"X-CSRFToken": csrf})
            assert response.status_code == 200
    assert len(loads) == 1, loads
    client.get("/account")
    assert len(loads) == 2  # pages load the user afresh
