"""Flask-WTF forms of sign-in beyond the password: the second step, two-factor settings, linking a provider."""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from auth.passwords import MAX_LENGTH


def _strip(value):
    """Drop surrounding whitespace from a typed value."""
    return value.strip() if isinstance(value, str) else value


class SecondStepForm(FlaskForm):
    """A code from the authenticator app, or one of the recovery codes."""

    code = StringField("Code from your authenticator app", filters=[_strip], validators=[Optional(), Length(max=12)])
    recovery_code = StringField("Or a recovery code", filters=[_strip], validators=[Optional(), Length(max=40)])
    next = HiddenField()
    submit = SubmitField("Continue")


class PasswordCheckForm(FlaskForm):
    """The account's password (left empty by accounts without one, which need a recent sign-in instead)."""

    password = PasswordField("Your password", validators=[Optional(), Length(max=MAX_LENGTH)])
    submit = SubmitField("Confirm")


class TotpConfirmForm(FlaskForm):
    """The first code the authenticator app shows, which proves it holds the secret."""

    code = StringField("Code from the app", filters=[_strip], validators=[DataRequired(message="Enter the code."),
                                                                          Length(max=12)])
    submit = SubmitField("Turn on")


class PasskeyForm(FlaskForm):
    """A name for a new passkey, and the password."""

    name = StringField("Name of this passkey", filters=[_strip], default="Passkey",
                       validators=[DataRequired(message="Name the passkey, e.g. the device that holds it."),
                                   Length(max=80)])
    password = PasswordField("Your password", validators=[Optional(), Length(max=MAX_LENGTH)])


class SsoLookupForm(FlaskForm):
    """A work email address, to find the team's single sign-on."""

    email = EmailField("Work email", filters=[_strip], validators=[DataRequired(), Length(max=320)])
    next = HiddenField()
    submit = SubmitField("Continue")
