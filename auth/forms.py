"""Flask-WTF forms for login, signup, password reset, password change and API tokens."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from auth.api_tokens import DEFAULT_EXPIRY, EXPIRIES, NAME_LENGTH
from auth.one_line import OneLine
from auth.passwords import MAX_LENGTH, MIN_LENGTH


def _strip(value):
    """Drop surrounding whitespace from a typed email."""
    return value.strip() if isinstance(value, str) else value


_NEW_PASSWORD = [
    DataRequired(),
    Length(min=MIN_LENGTH, max=MAX_LENGTH, message=f"Use at least {MIN_LENGTH} characters."),
]


class LoginForm(FlaskForm):
    """Email and password, with remember me."""

    email = EmailField("Email", filters=[_strip], validators=[DataRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Remember me")
    next = HiddenField()
    submit = SubmitField("Log in")


class SignupForm(FlaskForm):
    """Email and a new password."""

    email = EmailField("Email", filters=[_strip], validators=[DataRequired(), Email(message="Enter a valid email address."), Length(max=320)])
    password = PasswordField("Password", validators=_NEW_PASSWORD)
    next = HiddenField()
    submit = SubmitField("Create account")


class ResetRequestForm(FlaskForm):
    """The email to send a reset link to."""

    email = EmailField("Email", filters=[_strip], validators=[DataRequired(), Length(max=320)])
    submit = SubmitField("Send reset link")


class ResetPasswordForm(FlaskForm):
    """A new password chosen from a reset link."""

    password = PasswordField("New password", validators=_NEW_PASSWORD)
    confirm = PasswordField("Repeat new password", validators=[DataRequired(), EqualTo("password", message="Passwords do not match.")])
    submit = SubmitField("Set password")


class ChangePasswordForm(FlaskForm):
    """The current password and a new one."""

    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    password = PasswordField("New password", validators=_NEW_PASSWORD)
    confirm = PasswordField("Repeat new password", validators=[DataRequired(), EqualTo("password", message="Passwords do not match.")])
    submit = SubmitField("Change password")


class TokenForm(FlaskForm):
    """A new API token: its name and when it expires."""

    name = StringField("Name", filters=[_strip], validators=[
        DataRequired(message="Name the token, e.g. the script or tool that will use it."),
        Length(max=NAME_LENGTH, message=f"Use at most {NAME_LENGTH} characters."), OneLine()])
    expires = SelectField("Expires", choices=[SelectChoice(value, label) for value, (label, _) in EXPIRIES.items()],
                          default=DEFAULT_EXPIRY)
    submit = SubmitField("Create a token")


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token (create token, revoke token, log out)."""

    submit = SubmitField("Submit")
