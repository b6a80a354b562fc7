"""Change a team's paid seats: the Stripe subscription item's quantity, prorated."""
from billing.client import client
from billing.over_seats import plural, reconcile
from billing.team_subscriptions import lock_team
from extensions import db
from teams.service import TeamError, audit, seats_used


def change(actor, team, seats):
    """Set the subscription item's quantity to seats through Stripe; refuse going below the seats in use."""
    team = lock_team(team.id)
    members, invited = seats_used(team)
    if seats < members + invited:
        db.session.rollback()
        raise TeamError(f"The team uses {plural(members + invited, 'seat')} ({plural(members, 'member')} and "
                        f"{plural(invited, 'pending invitation')}). Remove members or revoke invitations before "
                        "going below that.")
    if not team.stripe_subscription_id:
        db.session.rollback()
        raise TeamError("This team has no Stripe subscription whose seats could change.")
    stripe_client = client()
    subscription = stripe_client.v1.subscriptions.retrieve(team.stripe_subscription_id)
    item = subscription.to_dict()["items"]["data"][0]
    updated = stripe_client.v1.subscription_items.update(
        item["id"], params={"quantity": seats, "proration_behavior": "create_prorations"})
    # Stripe's answer now; the webhook that follows confirms it (and wins if anything else changed).
    before, team.seats = team.seats, updated.quantity
    audit(actor.id, team.owner_id, "team.seats", f"team {team.id}: {before} -> {team.seats} seats")
    reconcile(team, actor.id, "seats changed on the team page")
    db.session.commit()
    return team.seats
