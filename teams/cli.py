"""`flask --app app teams list|show ID|send-mail`: the teams, their seats, status and members, for support; the
team emails that are due (for cron, after restarts)."""
import click
from flask.cli import AppGroup

from auth.admin_teams import members, pending_invitations, unapplied
from billing import over_seats
from extensions import db
from models.accounts import is_row_id
from models.teams import Team
from teams import outbox

teams_cli = AppGroup("teams", help="Teams: list them, or show one with its members, roles, seats and status.")


def _access(team):
    """Return the site admin's switch on a team as words."""
    return "ended by an admin" if team.access_ended else "granted by an admin" if team.access_granted else "subscription"


@teams_cli.command("list")
def list_command():
    """List every team: id, name, owner, seats used of paid, status."""
    teams = db.session.execute(db.select(Team).order_by(Team.id)).scalars().all()
    if not teams:
        click.echo("No teams.")
        return
    people = members([team.id for team in teams])
    click.echo(f"{'ID':>5}  {'NAME':<30} {'OWNER':<32} {'SEATS':>9}  {'STATUS':<10} ACCESS")
    for team in teams:
        used = len(people.get(team.id, []))
        click.echo(f"{team.id:>5}  {team.name[:30]:<30} {(team.owner.email if team.owner else '-')[:32]:<32} "
                   f"{f'{used}/{team.seats}':>9}  {(team.subscription_status or '-'):<10} {_access(team)}")


@teams_cli.command("show")
@click.argument("team_id", type=int)
def show_command(team_id):
    """Show one team: owner, seats, status, access, members with roles, pending invitations."""
    team = db.session.get(Team, team_id) if is_row_id(team_id) else None
    if team is None:
        raise click.ClickException(f"No team with id {team_id}.")
    people = members([team.id]).get(team.id, [])
    end = team.current_period_end.strftime("%Y-%m-%d") if team.current_period_end else "-"
    click.echo(f"Team {team.id}: {team.name}")
    click.echo(f"Owner: {team.owner.email if team.owner else '-'}")
    click.echo(f"Seats: {len(people)} used of {team.seats} paid")
    click.echo(f"Status: {team.subscription_status or '-'} (period ends {end}"
               f"{', cancels then' if team.cancel_at_period_end else ''})")
    click.echo(f"Access: {_access(team)}")
    click.echo(f"Stripe: customer {team.stripe_customer_id or '-'}, subscription {team.stripe_subscription_id or '-'}")
    found = over_seats.state(team)
    if found:
        click.echo(f"Over seats since {found['since']:%Y-%m-%d %H:%M} UTC: {found['members']} members, "
                   f"{found['seats']} paid; grace period {'ended' if found['ended'] else 'ends'} {found['ends_text']}")
    for row in unapplied([team.id]).get(team.id, []):
        click.echo(f"Unapplied second subscription: {row}")
    click.echo(f"Pending invitations: {pending_invitations([team.id]).get(team.id, 0)}")
    click.echo(f"Members ({len(people)}):")
    for email, role in people:
        click.echo(f"  {role:<7} {email}")


@teams_cli.command("send-mail")
def send_mail_command():
    """Send the team emails that are due and record grace periods that ended (safe to run from cron)."""
    ended = 0
    for team in db.session.execute(db.select(Team).where(Team.over_seats_since.is_not(None))).scalars():
        ended += over_seats.observe(team)
    db.session.commit()
    sent = outbox.send_due()
    click.echo(f"{sent} team emails sent; {ended} grace periods recorded as ended.")
