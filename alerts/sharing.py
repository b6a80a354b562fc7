"""Saved views and alert rules shared with the author's team: who sees them, who manages them, who is mailed."""
from flask import abort, make_response, render_template
from flask_login import current_user
from sqlalchemy.orm import aliased

from extensions import db
from models.accounts import User, is_row_id
from models.alerts import AlertRule, SavedView
from models.entitlement import is_subscriber
from models.teams import MANAGING_ROLES, TeamMember, membership

NOT_YOURS = "Only its author or an owner or admin of the team can change a shared {what}."


def team_id_of(user_id):
    """Return the id of the user's team, or None."""
    row = membership(user_id)
    return row.team_id if row else None


def author_still_in_team(model):
    """Return the SQL condition that the row's author is still a member of the team it is shared with."""
    author = aliased(TeamMember)
    return db.select(author.id).where(author.user_id == model.user_id, author.team_id == model.team_id) \
        .correlate_except(author).exists()


def visible(model, user_id):
    """Return the SQL condition for the rows of model user_id sees: their own, and those shared with their team."""
    mine = aliased(TeamMember)
    team = db.select(mine.team_id).where(mine.user_id == user_id).correlate_except(mine).scalar_subquery()
    return db.or_(model.user_id == user_id,
                  db.and_(model.team_id.is_not(None), model.team_id == team, author_still_in_team(model)))


def visible_views(user_id):
    """Return the saved views user_id sees with their authors' emails, newest first: [(view, author email)]."""
    return db.session.execute(
        db.select(SavedView, User.email).join(User, User.id == SavedView.user_id)
        .where(visible(SavedView, user_id)).order_by(SavedView.id.desc())).all()


def shared_rules(user_id):
    """Return the rules teammates shared with user_id's team, with their authors' emails: [(rule, author email)]."""
    return db.session.execute(
        db.select(AlertRule, User.email).join(User, User.id == AlertRule.user_id)
        .where(visible(AlertRule, user_id), AlertRule.user_id != user_id).order_by(AlertRule.id)).all()


def manages_team(user_id):
    """Return the id of the team user_id owns or administers, or None."""
    row = membership(user_id)
    return row.team_id if row and row.role in MANAGING_ROLES else None


def manager(user_id):
    """Return fn(row) -> True when user_id may rename or delete row: its author, or an owner or admin of its team."""
    managing = manages_team(user_id)  # one lookup for however many rows
    return lambda row: row.user_id == user_id or (managing is not None and row.team_id == managing)


def can_manage(row, user_id):
    """Return True when user_id may rename or delete row."""
    return manager(user_id)(row)


def seen(model, item_id, manage=False, what="item"):
    """Return the row of model with this id that the current user sees (404 otherwise); 403 when managing it is not theirs."""
    if not is_row_id(item_id):
        abort(404)
    row = db.session.execute(db.select(model).where(model.id == item_id, visible(model, current_user.id))
                             ).scalar_one_or_none()
    if row is None:
        abort(404)
    if manage and not can_manage(row, current_user.id):
        refuse(NOT_YOURS.format(what=what))
    return row


def refuse(message):
    """Abort with 403 and the reason on the error page."""
    abort(make_response(render_template("auth/error.html", title="Not allowed", message=message), 403))


def share_target(user_id, share):
    """Return the team_id a new or edited row gets: the author's team when they ask to share and have one, else None."""
    return team_id_of(user_id) if share else None


def team_recipients(rule_ids):
    """Return {rule id: [member ids]}: the other members, active subscribers, of the team each shared rule is shared with."""
    if not rule_ids:
        return {}
    rows = db.session.execute(
        db.select(AlertRule.id, TeamMember.user_id)
        .join(TeamMember, TeamMember.team_id == AlertRule.team_id)
        .where(AlertRule.id.in_(list(rule_ids)), AlertRule.team_id.is_not(None), author_still_in_team(AlertRule),
               TeamMember.user_id != AlertRule.user_id)).all()
    ids = {user_id for _, user_id in rows}
    users = db.session.execute(db.select(User).where(User.id.in_(ids), User.active)).scalars() if ids else []
    entitled = {user.id for user in users if is_subscriber(user)}
    found = {}
    for rule_id, user_id in rows:
        if user_id in entitled:
            found.setdefault(rule_id, []).append(user_id)
    return found
