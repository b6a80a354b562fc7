"""What /account and /admin show about a user's plan: status and the date that matters."""
from models.entitlement import aware, grace_ends_at, is_subscriber, subscription_grants_access, team_grants_access
from models.team_access import team_fields

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


def _date_line(user):
    """Return (label, date) for the renewal, end or grace date of the subscription."""
    status = user.subscription_status
    period_end = aware(user.current_period_end)
    if status in {"active", "trialing"} and period_end is not None:
        if user.cancel_at_period_end:
            return "Ends on", period_end
        return ("Trial ends on" if status == "trialing" else "Renews on"), period_end
    if status == "past_due":
        return "Access until", grace_ends_at(user)
    if status in {"canceled", "unpaid", "incomplete_expired"} and period_end is not None:
        return "Ended on", period_end
    return None, None


def subscription_summary(user):
    """Return a dict describing the user's plan, status, key date and access."""
    label, date = _date_line(user)
    if user.access_granted:
        source = "admin"
    elif subscription_grants_access(user):
        source = "subscription"
    elif team_grants_access(user):
        source = "team"
    else:
        source = None
    return {
        "plan": user.subscription_plan,
        "status": user.subscription_status,
        "status_label": LABELS.get(user.subscription_status, user.subscription_status or "No subscription"),
        "date_label": label,
        "date": date,
        "date_text": date.strftime("%d %b %Y") if date else None,
        "subscriber": is_subscriber(user),
        "access_source": source,
        "has_customer": bool(user.stripe_customer_id),
        "has_subscription": bool(user.stripe_subscription_id),
        "team_name": team_fields(user).team_name,
        "team_role": user.team_role,
    }
