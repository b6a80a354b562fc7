"""Flask-WTF forms of billing: the Team plan's checkout (seats and team name)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from auth.one_line import OneLine

MIN_SEATS = 2
MAX_SEATS = 500
SEATS_MESSAGE = f"Choose between {MIN_SEATS} and {MAX_SEATS} seats."


def seats_field(label):
    """Return a seats field that refuses anything but a whole number in range, with the reason."""
    return IntegerField(label, validators=[InputRequired(message=SEATS_MESSAGE),
                                           NumberRange(min=MIN_SEATS, max=MAX_SEATS, message=SEATS_MESSAGE)])


class TeamCheckoutForm(FlaskForm):
    """The Team plan's checkout: how many seats, and the team's name."""

    plan = HiddenField(default="team")
    seats = seats_field("Seats")
    team_name = StringField("Team name", validators=[Optional(), Length(max=120), OneLine()])
    submit = SubmitField("Buy the Team plan")
