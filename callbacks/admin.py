"""Admin callbacks: list users, confirm a change, apply it, show the audit log; the data note."""
import re

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html, no_update
from flask_login import current_user

from auth import admin, admin_teams
from auth.access import ADMIN
from auth.users import UserError
from callbacks.page import Page
from data.queries import releases as release_queries
from data.serving.reader import NoData

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
