"""Flask-WTF forms for alert rules, mail preferences and saved views, checked against the dashboards' allow-lists."""
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, HiddenField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from data.commodities import UnknownCommodity
from data.commodities.site import served_commodity, site
from data.queries import metrics as queries
from data.schema import WORLD
from models.alerts import RULE_KINDS, YEAR_CHOICES

KIND_LABELS = {"revision": "Revision of a series", "stocks_to_use": "Stocks-to-use falls below",
               "drawdown": "Ending stocks fall on the year before"}
# The one metric each kind but revision watches.
FIXED_METRIC = {"stocks_to_use": "stocks_to_use_pct", "drawdown": "ending_stocks"}
# Threshold bounds (percent), as Decimals so the typed value is compared exactly (0.1 is not the float 0.1);
# the Supply page's drawdown threshold runs 1-100.
THRESHOLDS = {"revision": (Decimal("0.1"), Decimal(100)), "stocks_to_use": (Decimal("0.1"), Decimal(1000)),
              "drawdown": (Decimal(1), Decimal(100))}
WIDEST = (Decimal("0.1"), Decimal(1000))
SHARE_LABEL = "Share with my team"
NOT_A_NUMBER = "Enter the threshold as a number, such as 5 or 0.5."


class FiniteDecimalField(DecimalField):
    """A decimal field that refuses NaN, sNaN and infinities as it refuses text."""

    def process_formdata(self, valuelist):
        """Parse the typed value; leave data None with the reason when it is not a finite number."""
        try:
            super().process_formdata(valuelist)
            finite = self.data is None or self.data.is_finite()
        except (ValueError, InvalidOperation):
            finite = False
        if not finite:
            self.data = None
            raise ValueError(NOT_A_NUMBER)


def country_choices(commodity=None):
    """Return (code, name) of a commodity's served countries (default: the site's first), the world first."""
    frame = queries.countries(served_commodity(commodity).code)
    return [SelectChoice(WORLD, "World")] + [SelectChoice(c, n) for c, n in zip(frame["country_code"], frame["country"])]


def chosen_commodity(code):
    """Return the served commodity of a submitted PSD code, else the site's first (the form then refuses the code)."""
    try:
        return served_commodity(code)
    except UnknownCommodity:
        return served_commodity(None)


class RuleForm(FlaskForm):
    """One alert rule."""

    kind = SelectField("Alert when", choices=[SelectChoice(k, KIND_LABELS[k]) for k in RULE_KINDS], validators=[InputRequired()])
    commodity_code = SelectField("Commodity")  # absent: the site's first, as a dashboard URL without one
    country_code = SelectField("Country", validators=[InputRequired()])
    metric = SelectField("Series (revisions)", default="production")
    year_choice = SelectField("Market year (revisions)", choices=[SelectChoice(y, y.title()) for y in YEAR_CHOICES],
                              default="current")
    threshold_pct = FiniteDecimalField("Threshold (%)", places=None,
                                       validators=[InputRequired(message="Enter a threshold in percent.")],
                                       render_kw={"min": str(WIDEST[0]), "max": str(WIDEST[1])})
    active = BooleanField("Active", default=True)
    share = BooleanField(SHARE_LABEL)

    def __init__(self, *args, **kwargs):
        """Fill the commodity choices from the site's, the country and series choices from the chosen commodity."""
        super().__init__(*args, **kwargs)
        self.commodity_code.choices = [SelectChoice(c.code, c.name) for c in site()]
        commodity = chosen_commodity(self.commodity_code.data)
        if self.commodity_code.data is None:
            self.commodity_code.data = commodity.code
        self.country_code.choices = country_choices(commodity.code)
        self.metric.choices = [SelectChoice(m, label) for m, label in commodity.labels.items()]

    def validate_threshold_pct(self, field):
        """Keep the threshold within its kind's bounds."""
        low, high = THRESHOLDS.get(self.kind.data, WIDEST)
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(f"For this alert the threshold must be between {low:g} and {high:g}%.")

    def values(self):
        """Return the checked fields as AlertRule attributes."""
        kind = self.kind.data
        return {"kind": kind, "commodity_code": self.commodity_code.data, "country_code": self.country_code.data,
                "metric": FIXED_METRIC.get(kind, self.metric.data), "year_choice": self.year_choice.data,
                "threshold_pct": float(self.threshold_pct.data), "active": bool(self.active.data)}


class PreferencesForm(FlaskForm):
    """Which emails a user gets."""

    alerts_email = BooleanField("Email me a digest of my alerts after each release")
    release_digest = BooleanField("Email me a digest of every new USDA release")


class SaveViewForm(FlaskForm):
    """Save the dashboard URL in front of the user under a name."""

    name = StringField("Name", validators=[DataRequired(message="Give the view a name."), Length(max=80)])
    url = HiddenField(validators=[DataRequired(), Length(max=1000)])
    pin = BooleanField("Pin this release")
    share = BooleanField(SHARE_LABEL)


class ShareViewForm(FlaskForm):
    """Share a saved view with the author's team, or make it private."""

    share = BooleanField(SHARE_LABEL)


class RenameViewForm(FlaskForm):
    """A new name for a saved view."""

    name = StringField("Name", validators=[DataRequired(message="Give the view a name."), Length(max=80)])
