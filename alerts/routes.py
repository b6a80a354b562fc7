"""/alerts: a subscriber's rules (create, edit, delete), mail preferences and notifications."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from alerts import digest, sharing
from alerts.forms import PreferencesForm, RuleForm
from alerts.unsubscribe import preference
from data import commodities
from auth import usage
from auth.access import SUBSCRIBER, requires
from auth.forms import ActionForm
from extensions import db
from models.accounts import is_row_id, utcnow
from models.alerts import AlertRule, Firing

bp = Blueprint("alerts", __name__, template_folder="templates")
LISTED_FIRINGS = 100


def owned(model, item_id):
    """Return the current user's row of model with this id, or abort 404 (also for other users' ids)."""
    if not is_row_id(item_id):
        abort(404)  # an id no database row can have: never sent to the database, which would overflow
    row = db.session.execute(db.select(model).where(model.id == item_id, model.user_id == current_user.id)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def unread_count(user_id):
    """Return how many of a user's firings are unread."""
    return db.session.execute(db.select(db.func.count(Firing.id)).where(
        Firing.user_id == user_id, Firing.read_at.is_(None))).scalar_one()


def _page(form=None, editing=None, status=200):
    """Render the alerts page."""
    rules = db.session.execute(db.select(AlertRule).where(AlertRule.user_id == current_user.id)
                               .order_by(AlertRule.id)).scalars().all()
    firings = db.session.execute(db.select(Firing).where(Firing.user_id == current_user.id)
                                 .order_by(Firing.release_id.desc(), Firing.id.desc()).limit(LISTED_FIRINGS)).scalars().all()
    form = form or RuleForm()
    names = digest.every_name()
    pref = preference(current_user.id)
    # The stored choices, not the posted form's: a refused rule posts no tick boxes, which would read as unticked.
    prefs = PreferencesForm(formdata=None, data={"alerts_email": pref.alerts_email, "release_digest": pref.release_digest})
    notes = [{"firing": f, **digest.describe(f, names)} for f in firings]
    manageable = sharing.manager(current_user.id)
    shared = [(rule, author, manageable(rule)) for rule, author in sharing.shared_rules(current_user.id)]
    return render_template("alerts/alerts.html", form=form, editing=editing, rules=rules, notes=notes,
                           names=names, commodity_names={c.code: c.name for c in commodities.current()},
                           prefs=prefs, action_form=ActionForm(), unread=unread_count(current_user.id),
                           shared=shared, in_team=sharing.team_id_of(current_user.id) is not None,
                           attribution=digest.ATTRIBUTION), status


@bp.get("/alerts")
@requires(SUBSCRIBER)
def index():
    """Show the rules, the form for a new one and the notifications."""
    return _page()


@bp.post("/alerts")
@requires(SUBSCRIBER)
def create():
    """Create a rule from the form, or show the form again with the reasons."""
    form = RuleForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    values = form.values()
    db.session.add(AlertRule(user_id=current_user.id, team_id=sharing.share_target(current_user.id, form.share.data),
                             **values))
    db.session.commit()
    usage.record(usage.ALERT_RULE_CREATED, values["kind"])
    flash("Alert created.", "success")
    return redirect(url_for("alerts.index"), 303)


@bp.route("/alerts/rules/<int:rule_id>", methods=["GET", "POST"])
@requires(SUBSCRIBER)
def edit(rule_id):
    """Edit one of the user's rules (a teammate's shared rule is refused with the reason)."""
    rule = sharing.seen(AlertRule, rule_id)
    if rule.user_id != current_user.id:
        sharing.refuse("Only its author edits an alert; a team owner or admin can delete a shared one.")
    form = RuleForm(obj=rule)
    if form.is_submitted():
        if not form.validate():
            return _page(form, editing=rule, status=400)
        for name, value in form.values().items():
            setattr(rule, name, value)
        rule.team_id = sharing.share_target(current_user.id, form.share.data)
        db.session.commit()
        flash("Alert saved.", "success")
        return redirect(url_for("alerts.index"), 303)
    form.share.data = rule.team_id is not None
    return _page(form, editing=rule)


@bp.post("/alerts/rules/<int:rule_id>/delete")
@requires(SUBSCRIBER)
def delete(rule_id):
    """Delete a rule and its notifications (its author, or a team owner or admin when it is shared)."""
    rule = sharing.seen(AlertRule, rule_id, manage=True, what="alert")
    if ActionForm().validate_on_submit():
        db.session.execute(db.delete(Firing).where(Firing.rule_id == rule.id))
        db.session.delete(rule)
        db.session.commit()
        flash("Alert deleted.", "success")
    return redirect(url_for("alerts.index"), 303)


@bp.post("/alerts/firings/<int:firing_id>/read")
@requires(SUBSCRIBER)
def mark_read(firing_id):
    """Mark one notification read."""
    firing = owned(Firing, firing_id)
    if ActionForm().validate_on_submit() and firing.read_at is None:
        firing.read_at = utcnow()
        db.session.commit()
    return redirect(url_for("alerts.index"), 303)


@bp.post("/alerts/firings/read")
@requires(SUBSCRIBER)
def mark_all_read():
    """Mark every notification of the user read."""
    if ActionForm().validate_on_submit():
        db.session.execute(db.update(Firing).where(Firing.user_id == current_user.id, Firing.read_at.is_(None))
                           .values(read_at=utcnow()))
        db.session.commit()
    return redirect(url_for("alerts.index"), 303)


@bp.get("/alerts/firings/<int:firing_id>")
@requires(SUBSCRIBER)
def open_firing(firing_id):
    """Mark a notification read and open the dashboard view it is about, pinned to its release."""
    firing = owned(Firing, firing_id)
    if firing.read_at is None:
        firing.read_at = utcnow()
        db.session.commit()
    parts = urlsplit(digest.firing_url(firing))
    return redirect(f"{parts.path}?{parts.query}", 303)


@bp.post("/alerts/preferences")
@requires(SUBSCRIBER)
def preferences():
    """Save which emails the user gets."""
    form = PreferencesForm()
    if form.validate_on_submit():
        pref = preference(current_user.id)
        pref.alerts_email, pref.release_digest = bool(form.alerts_email.data), bool(form.release_digest.data)
        db.session.commit()
        flash("Email preferences saved.", "success")
    return redirect(url_for("alerts.index"), 303)
