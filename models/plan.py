"""What /account, /team and /admin show about a plan: one truth, from what the webhooks stored.

Which plan gives access, the per-seat (or unit) price, seats, total, status and the date that matters.
"""
from extensions import db
from models.entitlement import (aware, grace_ends_at, has_live_subscription, is_subscriber, subscription_grants_access,
                                team_grants_access)
from models.team_access import team_fields
from models.teams import Team

LABELS = {
    "active": "Active",
    "trialing": "Trial",
    "past_due": "Payment failed",
    "unpaid": "Unpaid",
    "canceled": "Canceled",
    "incomplete": "Awaiting first payment",
    "incomplete_expired": "Expired",
    "paused": "Paused",
}
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}


def money(minor, currency):
    """Return an amount in a currency's minor unit as text: 3900 usd -> '$39.00'; None when unknown."""
    if minor is None:
        return None
    currency = (currency or "").lower()
    amount = f"{minor / 100:,.2f}"
    return f"{SYMBOLS[currency]}{amount}" if currency in SYMBOLS else f"{amount} {currency.upper()}".strip()


def interval_text(holder):
    """Return 'month', '3 months', or None."""
    count, unit = holder.subscription_interval_count or 1, holder.subscription_interval
    return None if not unit else unit if count == 1 else f"{count} {unit}s"


def _date_line(holder):
    """Return (label, date) for the renewal, end or grace date of a user's or team's subscription."""
    status = holder.subscription_status
    period_end = aware(holder.current_period_end)
    if status in {"active", "trialing"} and period_end is not None:
        if holder.cancel_at_period_end:
            return "Ends on", period_end
        return ("Trial ends on" if status == "trialing" else "Renews on"), period_end
    if status == "past_due":
        return "Access until", grace_ends_at(holder)
    if status in {"canceled", "unpaid", "incomplete_expired"} and period_end is not None:
        return "Ended on", period_end
    return None, None


def _billing(holder, quantity):
    """Return the status, price, quantity, total and key date of a user's or team's stored subscription."""
    label, date = _date_line(holder)
    unit, interval = holder.subscription_unit_amount, interval_text(holder)
    total = unit * quantity if unit is not None and quantity else None
    return {
        "status": holder.subscription_status,
        "status_label": LABELS.get(holder.subscription_status, holder.subscription_status or "No subscription"),
        "unit_price": money(unit, holder.subscription_currency), "quantity": quantity,
        "total": money(total, holder.subscription_currency), "interval": interval,
        "date_label": label, "date": date, "date_text": date.strftime("%d %b %Y") if date else None,
        "cancels": bool(holder.cancel_at_period_end),
    }


def team_plan(team):
    """Return the Team plan of a team as /account and /team show it: per-seat price, seats, total, status, date."""
    return {**_billing(team, team.seats), "name": f"Team plan ({team.name})", "team_name": team.name,
            "seats": team.seats, "grants": subscription_grants_access(team) or bool(team.access_granted),
            "granted": bool(team.access_granted), "ended": bool(team.access_ended)}


def _source(user):
    """Return what gives the user access: site_admin (the role), admin (granted by one), subscription, team, or None."""
    if user.is_admin:
        return "site_admin"
    if user.access_granted:
        return "admin"
    if subscription_grants_access(user):
        return "subscription"
    return "team" if team_grants_access(user) else None


def subscription_summary(user, with_team=False):
    """Return one description of the user's plan: which plan gives access (plan_label), the own subscription's
    billing, and with_team, the team's plan when the user is in a team (one more lookup: /account, not grids)."""
    fields = team_fields(user)
    team = db.session.get(Team, fields.team_id) if with_team and fields.team_id is not None else None
    source, own = _source(user), _billing(user, user.subscription_quantity or 1)
    labels = {"site_admin": "Admin", "admin": "Analyst (granted by an administrator)",
              "subscription": user.subscription_plan or "Analyst",
              "team": f"Team plan ({fields.team_name})"}
    return {
        **own,
        "plan": user.subscription_plan,
        "plan_label": labels.get(source, "Free"),
        "subscriber": is_subscriber(user),
        "access_source": source,
        "has_customer": bool(user.stripe_customer_id),
        "has_subscription": bool(user.stripe_subscription_id),
        "own_live": has_live_subscription(user),
        "team_name": fields.team_name,
        "team_role": fields.team_role,
        "team": team_plan(team) if team is not None else None,
        # Who may open the team's billing portal: the account whose Stripe customer pays for the team.
        "team_payer": team is not None and bool(team.stripe_customer_id)
        and team.stripe_customer_id == user.stripe_customer_id,
    }
