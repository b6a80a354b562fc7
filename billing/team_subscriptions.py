"""Team plan subscriptions: which events are a team's, and the team a subscription creates or keeps."""
import logging

from sqlalchemy import select, update

from billing import subscriptions
from extensions import db
from models.accounts import AuditLog, User
from models.teams import Team, TeamMember, membership

log = logging.getLogger(__name__)

PLAN = "team"  # metadata "plan" of a Team checkout and its subscription


def is_team(metadata):
    """Return True when Stripe metadata marks a Team plan purchase."""
    return (metadata or {}).get("plan") == PLAN


def lock_team(team_id):
    """Take the team's row lock for this transaction and return the fresh row."""
    # As billing.customers.lock_user: concurrent events for one team run one after the other.
    db.session.execute(update(Team).where(Team.id == team_id).values(seats=Team.seats))
    return db.session.execute(
        select(Team).where(Team.id == team_id).execution_options(populate_existing=True)
    ).scalar_one()


def team_for(subscription_id):
    """Return the team holding this Stripe subscription, or None."""
    return db.session.execute(select(Team).where(Team.stripe_subscription_id == subscription_id)).scalar_one_or_none()


def _owner(metadata):
    """Return the buyer the metadata names, or None."""
    user_id = str(metadata.get("user_id") or "")
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _renewed(metadata, owner):
    """Return the buyer's own team a renewed purchase names (metadata team_id), or None."""
    team_id = str(metadata.get("team_id") or "")
    team = db.session.get(Team, int(team_id)) if team_id.isdigit() else None
    return team if team is not None and owner is not None and team.owner_id == owner.id else None


def team_of(subscription, metadata):
    """Return the team of a Team plan subscription, creating it with the buyer as owner the first time."""
    team = team_for(subscription["id"])
    if team is not None:
        return team
    owner = _owner(metadata)
    customer_id = subscriptions.stripe_id(subscription.get("customer"))
    # A renewal names its team; any other subscription of the customer that paid for a team is that team's.
    team = _renewed(metadata, owner) or (customer_id and db.session.execute(
        select(Team).where(Team.stripe_customer_id == customer_id)).scalar_one_or_none())
    if team is not None:
        return team
    name = (metadata.get("team_name") or "").strip()[:120] or (f"{owner.email}'s team" if owner else "Team")
    team = Team(name=name, owner_id=owner.id if owner else None, seats=subscriptions.quantity(subscription),
                stripe_customer_id=customer_id)
    db.session.add(team)
    db.session.flush()
    if owner is not None and membership(owner.id) is None:
        db.session.add(TeamMember(team_id=team.id, user_id=owner.id, role="owner"))
    elif owner is not None:
        log.warning("team %s: its buyer %s is already in another team", team.id, owner.id)
    db.session.add(AuditLog(actor_id=owner.id if owner else None, target_id=owner.id if owner else None,
                            action="team.create", detail=f"team {team.id} ({team.name}), {team.seats} seats"))
    return team


def sync(event, subscription_id, metadata, payload=None):
    """Bring the team's stored state up to Stripe's current copy of its subscription."""
    current = subscriptions.fetch(subscription_id) or payload
    if current is None:
        return "no subscription"
    metadata = {**(metadata or {}), **(current.get("metadata") or {})}
    team = lock_team(team_of(current, metadata).id)
    seats = team.seats
    outcome = subscriptions.apply(team, current, event["created"])
    if outcome == "applied" and team.seats != seats:
        db.session.add(AuditLog(actor_id=None, target_id=team.owner_id, action="team.seats",
                                detail=f"team {team.id}: {seats} -> {team.seats} seats (Stripe)"))
    return outcome
