"""/team/tokens: a team's owner and admins see the members' API tokens and revoke them."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from alerts.sharing import manages_team, refuse
from auth.access import USER, requires
from auth.api_tokens import is_expired
from auth.forms import ActionForm
from extensions import db
from models.accounts import ApiToken, AuditLog, User, is_row_id, utcnow
from models.teams import TeamMember

bp = Blueprint("team_tokens", __name__, template_folder="templates")
NOT_MANAGER = "Only a team's owner and admins see and revoke its members' API tokens."


def _managed_team():
    """Return the id of the team the current user owns or administers; refuse (403) anyone else."""
    team_id = manages_team(current_user.id)
    if team_id is None:
        refuse(NOT_MANAGER)
    return team_id


def _member_tokens(team_id):
    """Return [(token, member email, expired)] of the team's members' live tokens, by member then newest first."""
    rows = db.session.execute(
        db.select(ApiToken, User.email).join(User, User.id == ApiToken.user_id)
        .join(TeamMember, TeamMember.user_id == ApiToken.user_id)
        .where(TeamMember.team_id == team_id, ApiToken.revoked_at.is_(None))
        .order_by(User.email, ApiToken.created_at.desc(), ApiToken.id.desc())).all()
    return [(token, email, is_expired(token)) for token, email in rows]


@bp.get("/team/tokens")
@requires(USER)
def index():
    """List the team members' API tokens: prefix, member, created, last used, expiry."""
    return render_template("teams/tokens.html", tokens=_member_tokens(_managed_team()), form=ActionForm())


@bp.post("/team/tokens/<int:token_id>/revoke")
@requires(USER)
def revoke(token_id):
    """Revoke a team member's API token (another team's token is not found) and audit it."""
    team_id = _managed_team()
    if not is_row_id(token_id):
        abort(404)
    token = db.session.execute(
        db.select(ApiToken).join(TeamMember, TeamMember.user_id == ApiToken.user_id)
        .where(ApiToken.id == token_id, TeamMember.team_id == team_id)).scalar_one_or_none()
    if token is None:
        abort(404)
    if ActionForm().validate_on_submit() and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.add(AuditLog(actor_id=current_user.id, target_id=token.user_id, action="team.token_revoked",
                                detail=f"team {team_id}: API token {token.prefix}…"))
        db.session.commit()
        flash(f"Token {token.prefix}… of {token.user.email} is revoked; its next request is refused.", "success")
    return redirect(url_for("team_tokens.index"), 303)
