"""Flask-WTF forms of the team pages: checkout, invitations, roles, seats, ownership, accepting."""
from flask_wtf import FlaskForm
from wtforms.fields import SelectChoice
from wtforms import HiddenField, IntegerField, PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from auth.forms import _NEW_PASSWORD

MIN_SEATS = 2
MAX_SEATS = 500
SEATS_MESSAGE = f"Choose between {MIN_SEATS} and {MAX_SEATS} seats."


def _seats_field(label):
    """Return a seats field that refuses anything but a whole number in range, with the reason."""
    return IntegerField(label, validators=[InputRequired(message=SEATS_MESSAGE),
                                           NumberRange(min=MIN_SEATS, max=MAX_SEATS, message=SEATS_MESSAGE)])


class TeamCheckoutForm(FlaskForm):
    """The Team plan's checkout: how many seats, and the team's name."""

    plan = HiddenField(default="team")
    seats = _seats_field("Seats")
    team_name = StringField("Team name", validators=[Optional(), Length(max=120)])
    submit = SubmitField("Buy the Team plan")


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

    seats = _seats_field("Paid seats")
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
