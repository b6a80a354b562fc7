"""Team plan subscriptions: which events are a team's, the team a subscription pays for, and one subscription a team."""
import logging

from sqlalchemy import select, update

from auth.one_line import one_line
from billing import over_seats, subscriptions
from extensions import db
from models.accounts import AuditLog, User, utcnow
from models.entitlement import ENDED, has_live_subscription
from models.stripe_events import UnappliedSubscription
from models.teams import Team, TeamMember, membership

log = logging.getLogger(__name__)

PLAN = "team"  # metadata "plan" of a Team checkout and its subscription
NAME_LENGTH = 120


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
    return db.session.get(User, int(user_id)) if user_id.isdigit() and len(user_id) < 10 else None


def _paid_for(metadata, owner):
    """Return the team the purchase names (metadata team_id) while the buyer is still in it, else the team the
    buyer owns now; None for a buyer who owns no team (who gets a new one)."""
    if owner is None:
        return None
    member = membership(owner.id)
    team_id = str(metadata.get("team_id") or "")
    if member is not None and (str(member.team_id) == team_id or member.role == "owner"):
        return member.team
    return None


def team_of(subscription, metadata):
    """Return the team a Team plan subscription pays for, creating it with the buyer as owner when there is none."""
    team = team_for(subscription["id"]) or _paid_for(metadata, _owner(metadata))
    if team is not None:
        return team
    owner = _owner(metadata)
    customer_id = subscriptions.stripe_id(subscription.get("customer"))
    # Metadata can be edited in Stripe's dashboard: the name is made one line here as at checkout.
    name = one_line(metadata.get("team_name"), NAME_LENGTH) or (f"{owner.email}'s team" if owner else "Team")
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


def _unapplied(team, subscription, event):
    """Record a second subscription of a team that follows a live one: kept for site admins, never applied."""
    found = db.session.execute(select(UnappliedSubscription).where(
        UnappliedSubscription.subscription_id == subscription["id"])).scalar_one_or_none()
    status, now = subscription.get("status"), utcnow()
    if status in ENDED:
        if found is not None and found.resolved_at is None:
            found.status, found.resolved_at, found.last_seen_at = status, now, now
        return "ignored"
    if found is None:
        found = UnappliedSubscription(team_id=team.id, subscription_id=subscription["id"], first_seen_at=now)
        db.session.add(found)
        db.session.add(AuditLog(actor_id=None, target_id=team.owner_id, action="team.subscription_unapplied",
                                detail=f"team {team.id} ({team.name}) follows {team.stripe_subscription_id}; a second "
                                       f"live subscription {subscription['id']} ({status}, "
                                       f"{subscriptions.quantity(subscription)} seats) was recorded, not applied"[:512]))
        log.warning("team %s: second live subscription %s recorded, not applied", team.id, subscription["id"])
    found.customer_id = subscriptions.stripe_id(subscription.get("customer"))
    found.status, found.seats = status, subscriptions.quantity(subscription)
    found.event_id, found.last_seen_at, found.resolved_at = event["id"], now, None
    return "unapplied"


def sync(event, subscription_id, metadata, payload=None):
    """Bring the team's stored state up to Stripe's current copy of its subscription (one live subscription a team)."""
    current = subscriptions.current(subscription_id, payload)
    if current is None:
        return "no subscription"
    metadata = {**(metadata or {}), **(current.get("metadata") or {})}
    team = lock_team(team_of(current, metadata).id)
    if team.stripe_subscription_id not in (None, current["id"]) and has_live_subscription(team):
        return _unapplied(team, current, event)
    seats = team.seats
    outcome = subscriptions.apply(team, current, event["created"])
    if outcome == "applied":
        db.session.execute(update(UnappliedSubscription).where(
            UnappliedSubscription.subscription_id == current["id"], UnappliedSubscription.resolved_at.is_(None))
            .values(resolved_at=utcnow()))
        if team.seats != seats:
            db.session.add(AuditLog(actor_id=None, target_id=team.owner_id, action="team.seats",
                                    detail=f"team {team.id}: {seats} -> {team.seats} seats (Stripe)"))
        over_seats.reconcile(team, None, "Stripe")
        over_seats.observe(team)
    return outcome
