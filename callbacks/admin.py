"""The Admin page, declared once: users grid with search, confirmed changes, audit logs, teams (callbacks, layout)."""
import re

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update
from flask_login import current_user

from auth import admin, admin_teams
from auth.access import ADMIN
from auth.users import UserError
from callbacks.page import Page
from data.queries import releases as release_queries
from data.serving.reader import NoData
from ui import grids

PAGE = Page("admin", "/admin", ADMIN)
SEARCH, USERS, REFRESH, PENDING = PAGE.id("search"), PAGE.id("users"), PAGE.id("refresh"), PAGE.id("pending")
CONFIRM, CONFIRM_TEXT, CONFIRM_YES, CONFIRM_NO = (PAGE.id("confirm"), PAGE.id("confirm-text"), PAGE.id("confirm-yes"),
                                                  PAGE.id("confirm-no"))
STATUS, AUDIT, DATA_NOTE = PAGE.id("status"), PAGE.id("audit"), PAGE.id("data-note")
TEAMS, TEAM_AUDIT = PAGE.id("teams"), PAGE.id("team-audit")


def data_note():
    """Return a warning naming the unknown USDA country codes the latest release loaded, or None."""
    try:
        latest = release_queries.latest_unknown_countries()
    except NoData:
        return None
    if not latest["codes"]:
        return None
    return dbc.Alert([
        html.Strong("Unknown USDA country codes. "),
        f"Release {latest['release_id']} loaded countries under codes data/countries.py does not know: "
        f"{re.sub(r',(?=X)', ', ', latest['codes'])}. They are served under these X codes, in no continent or ICO "
        "group, until data/countries.py maps them (then run `flask --app app export`).",
    ], color="warning")


AUDIT_COLUMNS = (("when", "When (UTC)"), ("actor", "Admin"), ("action", "Action"), ("target", "User"))
TEAM_AUDIT_COLUMNS = (("when", "When (UTC)"), ("actor", "By"), ("action", "Action"), ("target", "User"),
                      ("detail", "Detail"))


def _audit_table(rows, columns=AUDIT_COLUMNS, label="Audit log", empty="No admin actions yet."):
    """Return audit log rows as a table of columns [(key, heading)]."""
    if not rows:
        return html.P(empty, className="text-muted")
    head = html.Thead(html.Tr([html.Th(heading) for _, heading in columns]))
    body = html.Tbody([html.Tr([html.Td(r[key]) for key, _ in columns]) for r in rows])
    table = dbc.Table([head, body], size="sm", striped=True, className="audit-log")
    # Long emails and actions scroll inside the log on a phone instead of widening the page.
    return html.Div(table, className="table-responsive", tabIndex=0, role="region", **{"aria-label": label})


@PAGE.callback(
    Output(USERS, "rowData"),
    Output(AUDIT, "children"),
    Output(TEAMS, "rowData"),
    Output(TEAM_AUDIT, "children"),
    Input(SEARCH, "value"),
    Input(REFRESH, "data"),
)
def show_users(search, _refresh):
    """List users matching the search, the teams, and the latest audit log entries (all, and the teams')."""
    if not current_user.is_authenticated or not current_user.is_admin:
        return [], None, [], None
    team_log = _audit_table(admin_teams.audit_rows(), TEAM_AUDIT_COLUMNS, "Team changes", "No team changes yet.")
    return admin.user_rows(search), _audit_table(admin.audit_rows()), admin_teams.team_rows(), team_log


def _last_change(changes):
    """Return (user id, field, value) of the latest grid edit, or None."""
    change = changes[-1] if isinstance(changes, list) and changes else changes
    if not isinstance(change, dict) or not isinstance(change.get("data"), dict):
        return None
    return change["data"].get("id"), change.get("colId"), change.get("value")


@PAGE.callback(
    Output(PENDING, "data"),
    Output(CONFIRM_TEXT, "children"),
    Output(CONFIRM, "is_open"),
    Input(USERS, "cellValueChanged"),
    Input(TEAMS, "cellValueChanged"),
    prevent_initial_call=True,
)
def ask_to_confirm(changes, team_changes):
    """Open the confirmation dialog for a ticked or unticked box of a user or a team."""
    kind, describe = ("team_id", admin_teams.describe) if ctx.triggered_id == TEAMS else ("user_id", admin.describe)
    change = _last_change(team_changes if kind == "team_id" else changes)
    question = describe(*change) if change else None
    if question is None:
        return None, no_update, False
    row_id, field, value = change
    return {kind: row_id, "field": field, "value": value}, question, True


@PAGE.callback(
    Output(CONFIRM, "is_open", allow_duplicate=True),
    Output(STATUS, "children"),
    Output(REFRESH, "data"),
    Output(PENDING, "data", allow_duplicate=True),
    Input(CONFIRM_YES, "n_clicks"),
    Input(CONFIRM_NO, "n_clicks"),
    State(PENDING, "data"),
    State(REFRESH, "data"),
    prevent_initial_call=True,
)
def confirm(_yes, _no, pending, refresh):
    """Apply the pending change of a user or team on Confirm; on Cancel put the grids back as they were."""
    refresh = (refresh or 0) + 1
    if ctx.triggered_id != CONFIRM_YES or not isinstance(pending, dict):
        return False, None, refresh, None
    user = current_user._get_current_object() if current_user.is_authenticated else None
    team = "team_id" in pending
    apply, row_id = (admin_teams.apply, pending.get("team_id")) if team else (admin.apply, pending.get("user_id"))
    try:
        message = apply(user, row_id, pending.get("field"), pending.get("value"))
    except UserError as exc:
        return False, dbc.Alert(str(exc), color="danger", dismissable=True), refresh, None
    return False, dbc.Alert(message, color="success", dismissable=True), refresh, None

_CHECK = {"cellDataType": "boolean", "editable": True, "width": 120}
COLUMNS = [
    {"field": "email", "headerName": "Email", "width": 260},
    {"field": "active", "headerName": "Active", **_CHECK},
    {"field": "access_granted", "headerName": "Granted access", **_CHECK, "width": 150},
    {"field": "admin", "headerName": "Admin", **_CHECK},
    {"field": "subscriber", "headerName": "Subscriber", "cellDataType": "boolean", "editable": False, "width": 130},
    {"field": "subscription_status", "headerName": "Stripe status", "width": 140},
    {"field": "plan", "headerName": "Plan", "width": 160},
    {"field": "plan_date", "headerName": "Renews / ends", "width": 190},
    {"field": "created_at", "headerName": "Created", "width": 160},
    {"field": "last_login_at", "headerName": "Last login", "width": 160},
    {"field": "rules", "headerName": "Alert rules", "width": 120},
    {"field": "last_delivery", "headerName": "Last alert email", "width": 230},
]

TEAM_COLUMNS = [
    {"field": "name", "headerName": "Team", "width": 200},
    {"field": "owner", "headerName": "Owner", "width": 240},
    {"field": "seats_text", "headerName": "Seats used of paid", "width": 170},
    {"field": "status", "headerName": "Stripe status", "width": 140},
    {"field": "access_granted", "headerName": "Granted access", **_CHECK, "width": 150},
    {"field": "access_ended", "headerName": "Access ended", **_CHECK, "width": 140},
    {"field": "invitations", "headerName": "Pending invitations", "width": 170},
    {"field": "members", "headerName": "Members (role)", "width": 420},
    {"field": "created_at", "headerName": "Created", "width": 160},
]


def _editable_grid(grid_id, columns, height, class_name):
    """Return an admin grid whose tick boxes toggle with one click; fixed widths, so it scrolls sideways."""
    return grids.grid(grid_id, columns, grid_options={"singleClickEdit": True}, fit_width=False, rowData=[],
                      getRowId="params.data.id", defaultColDef={"sortable": True, "resizable": True, "filter": True},
                      style={"height": height}, className=class_name)


def _confirm_modal():
    """Return the dialog that confirms each change."""
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Confirm change")),
            dbc.ModalBody(id=CONFIRM_TEXT),
            dbc.ModalFooter(
                [
                    dbc.Button("Cancel", id=CONFIRM_NO, color="secondary", outline=True),
                    dbc.Button("Confirm", id=CONFIRM_YES, color="primary"),
                ]
            ),
        ],
        id=CONFIRM,
        is_open=False,
        backdrop="static",
    )


def layout(**_):
    """Return the admin page."""
    return html.Div(
        [
            html.H1("Users", className="h2"),
            html.P(dcc.Link("Business metrics: signups, conversion, MRR, churn, usage →", href="/admin/metrics")),
            html.P(
                "Tick or untick a box to enable or disable a user, grant or revoke access, or promote or demote "
                "an admin. Every change asks for confirmation and is written to the audit log below.",
                className="text-muted",
            ),
            html.Div(data_note(), id=DATA_NOTE),
            dbc.Row(
                dbc.Col(
                    dbc.Input(id=SEARCH, type="search", placeholder="Search by email", debounce=True),
                    md=4,
                ),
                className="mb-2",
            ),
            html.Div(id=STATUS),
            # Fixed widths, wider than a desktop screen: the table scrolls sideways rather than squeeze its columns.
            _editable_grid(USERS, COLUMNS, "420px", "mb-4"),
            dcc.Store(id=PENDING),
            dcc.Store(id=REFRESH, data=0),
            _confirm_modal(),
            html.H3("Audit log", className="h4"),
            html.Div(id=AUDIT, className="mb-4"),
            html.H2("Teams", className="h3", id="admin-teams-heading"),
            html.P(
                "Tick Granted access to give every member of a team subscriber access whatever its subscription, "
                "or Access ended to refuse them on their next request. Each change asks for confirmation and is "
                "audited; every team change (invitations, joins, roles, seats, ownership) is listed below the grid.",
                className="text-muted",
            ),
            _editable_grid(TEAMS, TEAM_COLUMNS, "300px", "mb-3"),
            html.H3("Team changes", className="h4"),
            html.Div(id=TEAM_AUDIT, className="mb-4"),
        ]
    )
