"""Admin page: users grid with search, confirmed changes, audit log."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from callbacks import admin as cb
from ui import grids

dash.register_page(__name__, **cb.PAGE.page_args(name="Admin", nav=False))

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
            dbc.ModalBody(id=cb.CONFIRM_TEXT),
            dbc.ModalFooter(
                [
                    dbc.Button("Cancel", id=cb.CONFIRM_NO, color="secondary", outline=True),
                    dbc.Button("Confirm", id=cb.CONFIRM_YES, color="primary"),
                ]
            ),
        ],
        id=cb.CONFIRM,
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
            html.Div(cb.data_note(), id=cb.DATA_NOTE),
            dbc.Row(
                dbc.Col(
                    dbc.Input(id=cb.SEARCH, type="search", placeholder="Search by email", debounce=True),
                    md=4,
                ),
                className="mb-2",
            ),
            html.Div(id=cb.STATUS),
            # Fixed widths, wider than a desktop screen: the table scrolls sideways rather than squeeze its columns.
            _editable_grid(cb.USERS, COLUMNS, "420px", "mb-4"),
            dcc.Store(id=cb.PENDING),
            dcc.Store(id=cb.REFRESH, data=0),
            _confirm_modal(),
            html.H3("Audit log", className="h4"),
            html.Div(id=cb.AUDIT, className="mb-4"),
            html.H2("Teams", className="h3", id="admin-teams-heading"),
            html.P(
                "Tick Granted access to give every member of a team subscriber access whatever its subscription, "
                "or Access ended to refuse them on their next request. Each change asks for confirmation and is "
                "audited; every team change (invitations, joins, roles, seats, ownership) is listed below the grid.",
                className="text-muted",
            ),
            _editable_grid(cb.TEAMS, TEAM_COLUMNS, "300px", "mb-3"),
            html.H3("Team changes", className="h4"),
            html.Div(id=cb.TEAM_AUDIT, className="mb-4"),
        ]
    )
