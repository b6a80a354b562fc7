"""Build the app with the throwaway page beside the real ones; print what a visitor and a user get (JSON)."""
import json
import sys
from pathlib import Path

from flask_migrate import upgrade

from app import create_app
from tests.auth.conftest import cli_user, client_login
from tests.conftest import base_config
from tests.harness.dash_client import body

work, data_dir = Path(sys.argv[1]), sys.argv[2]
app = create_app({**base_config(work, data_dir), "PAGES_FOLDER": str(work / "pages"), "ARGON2_PROFILE": "CHEAPEST"})
with app.app_context():
    upgrade(directory=str(Path("migrations").resolve()))
cli_user(app, "free@example.com")
import throwaway_callbacks as cb  # noqa: E402  (imported by the page module, as any page's callbacks are)


def post(client, payload):
    """POST a callback body with the CSRF cookie echoed, as dash-renderer does."""
    client.get("/")
    return client.post("/_dash-update-component", json=payload,
                       headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})


visitor, user = app.test_client(), app.test_client()
client_login(user, "free@example.com")
deps = user.get("/_dash-dependencies").get_json()
view = next(d for d in deps if d["output"].startswith(f"..{cb.TOP_CHART.view}."))
download = next(d for d in deps if d["output"].startswith(f"{cb.TOP_CHART.download}."))
year = (cb.PAGE.component("year"), "value")
chart = body(view, {year: 2020})
first, second = post(user, chart), post(user, chart)
print(json.dumps({
    "visitor_page": visitor.get("/throwaway").status_code,
    "visitor_chart": post(visitor, chart).status_code,
    "user_page": user.get("/throwaway?year=2020").status_code,
    "chart": [first.status_code, second.status_code, first.get_data() == second.get_data()],
    "bars": [bar for trace in first.get_json()["response"][cb.TOP_CHART.view]["figure"]["data"] for bar in trace["x"]],
    "builds": cb.BUILDS,
    "download": post(user, body(download, {year: 2020, (cb.TOP_CHART.button, "n_clicks"): 1})).status_code,
}))
