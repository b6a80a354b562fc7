"""`flask --app app users reset-mfa EMAIL`: support removes a user's second factors (audited, every login ended)."""
import click
from flask.cli import AppGroup

from auth import factors
from models.accounts import User

users_cli = AppGroup("users", help="Support commands for users' accounts.")


@users_cli.command("reset-mfa")
@click.argument("email")
@click.option("--reason", default="", help="Why (a ticket number, say): kept in the audit log.")
def reset_mfa_command(email, reason):
    """Remove every second factor and recovery code of EMAIL and end all its sessions."""
    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No user with the email {email}.")
    detail = f"{user.email}: every second factor removed by support" + (f" ({reason[:200]})" if reason else "")
    factors.reset(user, actor=None, detail=detail)
    click.echo(f"Removed the second factors of {user.email} and ended its sessions; they sign in with the password "
               "(or a provider) alone until they set up a factor again.")


def init_app(app):
    """Register the users commands on app."""
    app.cli.add_command(users_cli)
