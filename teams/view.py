"""What the /team page shows beyond the rows: the plan, the over-seats state, each invitation's email."""
from billing import over_seats
from billing.over_seats import plural
from extensions import db
from models.entitlement import aware
from models.plan import team_plan
from models.teams import TeamMail


def mail_states(invitations):
    """Return {invitation id: its latest email (TeamMail)}."""
    ids = [invitation.id for invitation in invitations]
    if not ids:
        return {}
    rows = db.session.execute(db.select(TeamMail).where(TeamMail.invitation_id.in_(ids)).order_by(TeamMail.id))
    return {row.invitation_id: row for row in rows.scalars()}


def mail_text(row):
    """Return (css class, words) saying where an invitation's email is: sent, retrying, or given up."""
    if row is None:
        return "text-muted", "no email on record: resend it"
    when = aware(row.sent_at or row.next_at or row.created_at)
    if row.state == "sent":
        return "text-success", f"email sent {when:%Y-%m-%d %H:%M} UTC"
    if row.state == "failed":
        return "text-danger", f"the email could not be sent ({row.last_error}): resend it"
    if row.state == "queued" and row.attempts:
        return "text-warning-emphasis", (
            f"not sent yet: the mail server did not take it ({row.last_error}); tried "
            f"{plural(row.attempts, 'time')}, next try at {when:%H:%M} UTC, automatically. You can also resend it.")
    return "text-muted", "email being sent"


def context(team, member):
    """Return the team page's plan, over-seats and email facts for member."""
    found = over_seats.state(team)
    return {"plan": team_plan(team), "over": found,
            "lapsed_ids": found["lapsed_ids"] if found else set(),
            "payer": bool(team.stripe_customer_id) and team.stripe_customer_id == member.user.stripe_customer_id,
            "plural": plural}
