"""Drive the /admin page's callbacks over HTTP: find a user, confirm a change."""
from tests.harness.dash_client import DashClient

USERS, AUDIT, PENDING, CONFIRM_YES, CONFIRM_NO, REFRESH, SEARCH, STATUS = (
    "admin-users", "admin-audit", "admin-pending", "admin-confirm-yes", "admin-confirm-no", "admin-refresh",
    "admin-search", "admin-status",
)


def user_rows(dash, search=None):
    """Return the grid rows the admin page shows for search."""
    response = dash.call(USERS, {(SEARCH, "value"): search, (REFRESH, "data"): 0})
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()["response"][USERS]["rowData"]


def user_id(dash, email):
    """Return the id of the user with email as the admin grid shows it."""
    rows = [r for r in user_rows(dash, email) if r["email"] == email]
    assert len(rows) == 1, rows
    return rows[0]["id"]


def confirm_change(dash, uid, field, value):
    """Confirm a pending change as the dialog's Confirm button does; return the status text shown."""
    spec = dash.find(STATUS)
    from tests.harness.dash_client import body

    payload = body(
        spec,
        {(CONFIRM_YES, "n_clicks"): 1, (PENDING, "data"): {"user_id": uid, "field": field, "value": value}, (REFRESH, "data"): 0},
        changed=[f"{CONFIRM_YES}.n_clicks"],
    )
    response = dash.post(payload)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return str(response.json()["response"][STATUS]["children"])


def change(session, base_url, email, field, value):
    """As the admin of session, set field of the user with email to value; return the status text."""
    dash = DashClient(session, base_url)
    return confirm_change(dash, user_id(dash, email), field, value)
