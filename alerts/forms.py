"""Flask-WTF forms for alert rules, mail preferences and saved views, checked against the dashboards' allow-lists."""
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, HiddenField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation, ValidationError

from data.commodities import UnknownCommodity
from data.commodities.site import served_commodity, site
from data.queries import metrics as queries
from data.schema import WORLD
from models.alerts import PRICE_KINDS, PRICE_METRIC, RULE_KINDS, YEAR_CHOICES

KIND_LABELS = {"revision": "Revision of a series", "stocks_to_use": "Stocks-to-use falls below",
               "drawdown": "Ending stocks fall on the year before",
               "price_move": "Price moves on the month before by at least",
               "price_level": "Price crosses a level"}
# The one metric each kind but revision watches.
FIXED_METRIC = {"stocks_to_use": "stocks_to_use_pct", "drawdown": "ending_stocks", "price_move": PRICE_METRIC,
                "price_level": PRICE_METRIC}
# Threshold bounds (percent), as Decimals so the typed value is compared exactly (0.1 is not the float 0.1);
# the Supply page's drawdown threshold runs 1-100.
THRESHOLDS = {"revision": (Decimal("0.1"), Decimal(100)), "stocks_to_use": (Decimal("0.1"), Decimal(1000)),
              "drawdown": (Decimal(1), Decimal(100)), "price_move": (Decimal("0.1"), Decimal(100))}
WIDEST = (Decimal("0.1"), Decimal(1000))
SHARE_LABEL = "Share with my team"
NOT_A_NUMBER = "Enter the threshold as a number, such as 5 or 0.5."
LEVEL_NOT_A_NUMBER = "Enter the level as a positive number in the series' unit, such as 350 or 412.5."
# No World Bank series comes near it in any unit; a larger number is a typo (and 1e999 would be stored as inf).
LEVEL_MAX = Decimal(10) ** 9


class FiniteDecimalField(DecimalField):
    """A decimal field that refuses NaN, sNaN and infinities as it refuses text."""

    def __init__(self, *args, not_a_number=NOT_A_NUMBER, **kwargs):
        """Keep the reason a value that is not a finite number is refused with."""
        super().__init__(*args, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        """Parse the typed value; leave data None with the reason when it is not a finite number."""
        try:
            super().process_formdata(valuelist)
            finite = self.data is None or self.data.is_finite()
        except (ValueError, InvalidOperation):
            finite = False
        if not finite:
            self.data = None
            raise ValueError(self.not_a_number)


class NeededFor:
    """Require a typed value when the form's kind needs the field; leave it out, errors and all, for other kinds."""

    def __init__(self, needed, message):
        """needed: fn(kind) -> True when the field must be filled in."""
        self.needed, self.message = needed, message

    def __call__(self, form, field):
        """Stop with the message when a needed field is empty, silently when an unneeded one is."""
        if field.raw_data and field.raw_data[0]:  # as InputRequired: spaces are typed text, refused as such
            if self.needed(form.kind.data):
                return
            field.errors[:] = []  # an unneeded field is ignored, whatever was typed into it
            field.data = None
            raise StopValidation()
        field.errors[:] = []
        field.data = None
        raise StopValidation(self.message if self.needed(form.kind.data) else None)


def country_choices(commodity=None):
    """Return (code, name) of a commodity's served countries (default: the site's first), the world first."""
    frame = queries.countries(served_commodity(commodity).code)
    return [SelectChoice(WORLD, "World")] + [SelectChoice(c, n) for c, n in zip(frame["country_code"], frame["country"])]


def series_choices(commodity):
    """Return (slug, name and display unit) of a commodity's declared World Bank price series."""
    return [SelectChoice(p.slug, f"{p.name} ({p.display_unit})") for p in commodity.prices]


def chosen_commodity(code):
    """Return the served commodity of a submitted PSD code, else the site's first (the form then refuses the code)."""
    try:
        return served_commodity(code)
    except UnknownCommodity:
        return served_commodity(None)


class RuleForm(FlaskForm):
    """One alert rule."""

    kind = SelectField("Alert when", validators=[InputRequired()])
    commodity_code = SelectField("Commodity")  # absent: the site's first, as a dashboard URL without one
    country_code = SelectField("Country", validators=[InputRequired()])
    metric = SelectField("Series (revisions)", default="production")
    year_choice = SelectField("Market year (revisions)", choices=[SelectChoice(y, y.title()) for y in YEAR_CHOICES],
                              default="current")
    series = SelectField("Price series (price alerts)", validate_choice=False)
    threshold_pct = FiniteDecimalField("Threshold (%)", places=None,
                                       validators=[NeededFor(lambda kind: kind != "price_level",
                                                             "Enter a threshold in percent.")],
                                       render_kw={"min": str(WIDEST[0]), "max": str(WIDEST[1])})
    level = FiniteDecimalField("Level (price-level alerts, in the series' unit)", places=None,
                               not_a_number=LEVEL_NOT_A_NUMBER,
                               validators=[NeededFor(lambda kind: kind == "price_level", LEVEL_NOT_A_NUMBER)])
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
        self.series.choices = series_choices(commodity)
        # Price alerts are offered while a commodity of the site declares series; the commodity chosen is checked.
        priced = any(c.prices for c in site())
        self.kind.choices = [SelectChoice(k, KIND_LABELS[k]) for k in RULE_KINDS if priced or k not in PRICE_KINDS]
        self.commodity = commodity

    def validate_kind(self, field):
        """Refuse a price alert on a commodity without World Bank series."""
        if field.data in PRICE_KINDS and not self.commodity.prices:
            priced = ", ".join(c.name for c in site() if c.prices)
            raise ValidationError(f"The World Bank's Pink Sheet has no price series for {self.commodity.name}: "
                                  f"price alerts are for {priced}.")

    def validate_series(self, field):
        """Keep a price alert's series to those its commodity declares."""
        if self.kind.data not in PRICE_KINDS or not self.commodity.prices:
            return
        declared = {p.slug: p.name for p in self.commodity.prices}
        if field.data not in declared:
            raise ValidationError(f"{self.commodity.name} has no price series {field.data!r}: choose one of "
                                  f"{', '.join(declared.values())}.")

    def validate_level(self, field):
        """Keep a level positive and below LEVEL_MAX."""
        if field.data is not None and not 0 < field.data < LEVEL_MAX:
            raise ValidationError(LEVEL_NOT_A_NUMBER)

    def validate_threshold_pct(self, field):
        """Keep the threshold within its kind's bounds."""
        low, high = THRESHOLDS.get(self.kind.data, WIDEST)
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(f"For this alert the threshold must be between {low:g} and {high:g}%.")

    def values(self):
        """Return the checked fields as AlertRule attributes."""
        kind = self.kind.data
        price = kind in PRICE_KINDS
        return {"kind": kind, "commodity_code": self.commodity_code.data,
                "country_code": WORLD if price else self.country_code.data,
                "metric": FIXED_METRIC.get(kind, self.metric.data), "year_choice": self.year_choice.data,
                "threshold_pct": None if kind == "price_level" else float(self.threshold_pct.data),
                "series": self.series.data if price else None,
                "level": float(self.level.data) if kind == "price_level" else None, "active": bool(self.active.data)}


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
