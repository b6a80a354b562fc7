"""Flask-WTF forms of the team pages: invitations, roles, seats, ownership, accepting."""
from flask_wtf import FlaskForm
from wtforms.fields import SelectChoice
from wtforms import PasswordField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, InputRequired

from auth.forms import _NEW_PASSWORD
from billing.forms import seats_field


class InviteForm(FlaskForm):
    """Email addresses to invite, separated by commas or new lines."""

    emails = TextAreaField("Email addresses", validators=[DataRequired(message="Enter at least one email address.")])
    submit = SubmitField("Send invitations")


class RoleForm(FlaskForm):
    """A member's new role."""

    role = SelectField("Role", choices=[SelectChoice("member", "Member"), SelectChoice("admin", "Admin")])
    submit = SubmitField("Change role")


class SeatsForm(FlaskForm):
    """The number of paid seats."""

    seats = seats_field("Paid seats")
    submit = SubmitField("Change seats")


class OwnerForm(FlaskForm):
    """The member who becomes the owner."""

    user_id = SelectField("New owner", coerce=int, validate_choice=False,
                          validators=[InputRequired(message="Choose a member.")])
    submit = SubmitField("Transfer ownership")


class AcceptSignupForm(FlaskForm):
    """A new account's password, for the invited address."""

    password = PasswordField("Password", validators=_NEW_PASSWORD)
    confirm = PasswordField("Repeat password",
                            validators=[DataRequired(), EqualTo("password", message="Passwords do not match.")])
    submit = SubmitField("Create account and join")
