"""`flask create-user`: make an account from the command line (and `flask access-table`: auth/access_table.py)."""
import sys

import click
from flask.cli import with_appcontext
from email_validator import EmailNotValidError, validate_email

from auth.passwords import MAX_LENGTH, MIN_LENGTH
from auth.users import UserError, create_user


def _read_password(from_stdin):
    """Return the password from stdin or an interactive prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--admin", is_flag=True, help="Make the user an admin.")
@click.option("--comp", is_flag=True, help="Grant subscriber access without a subscription.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def create_user_command(email, admin, comp, password_stdin):
    """Create a user with EMAIL."""
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from exc
    password = _read_password(password_stdin)
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise click.ClickException(f"The password must have {MIN_LENGTH} to {MAX_LENGTH} characters.")
    try:
        user = create_user(email, password, admin=admin, comp=comp)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    kind = "admin" if user.is_admin else ("user with granted access" if user.access_granted else "user")
    click.echo(f"Created {kind} {user.email} (id {user.id}).")


def init_app(app):
    """Register the user commands and the access table on app."""
    from auth.access_table import access_table_command

    app.cli.add_command(create_user_command)
    app.cli.add_command(access_table_command)
