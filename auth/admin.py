"""What the /admin page shows and changes: users, their flags, the audit log."""
from auth import users
from models.accounts import AuditLog, User, is_row_id
from models.alerts import AlertRule, Delivery
from models.entitlement import is_subscriber
from models.plan import subscription_summary
from extensions import db

EMAIL_MAX = User.email.type.length
FIELDS = {"active": users.set_active, "access_granted": users.set_access, "admin": users.set_admin}
ACTION_TEXT = {
    ("active", True): "Enable {email}? They can log in again.",
    ("active", False): "Disable {email}? They are logged out everywhere and their API tokens are revoked at once.",
    ("access_granted", True): "Grant subscriber access to {email}?",
    ("access_granted", False): "Revoke the admin-granted access of {email}?",
    ("admin", True): "Promote {email} to admin?",
    ("admin", False): "Demote {email} from admin to user?",
}
DONE_TEXT = {
    ("active", True): "{email} is enabled.",
    ("active", False): "{email} is disabled; their sessions and API tokens have ended.",
    ("access_granted", True): "{email} now has subscriber access.",
    ("access_granted", False): "{email} no longer has admin-granted access.",
    ("admin", True): "{email} is now an admin.",
    ("admin", False): "{email} is no longer an admin.",
}


def _when(moment):
    """Return a timestamp as text for the grid."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _escape_like(text):
    """Escape LIKE wildcards so the search matches text literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def user_rows(search=None, limit=500):
    """Return grid rows of users whose email contains search (all when empty)."""
    query = db.select(User).order_by(User.email).limit(limit)
    search = search.strip().lower() if isinstance(search, str) else ""
    if len(search) > EMAIL_MAX:
        return []  # longer than any stored email: nothing can contain it
    if search:
        query = query.where(db.func.lower(User.email).like(f"%{_escape_like(search)}%", escape="\\"))
    found = db.session.execute(query).scalars().all()
    alerts = _alert_columns([user.id for user in found])
    return [{**_row(user), **alerts.get(user.id, {"rules": 0, "last_delivery": ""})} for user in found]


def _alert_columns(user_ids):
    """Return {user id: {rules: active rule count, last_delivery: status of the latest email}}, two queries in all."""
    if not user_ids:
        return {}
    counts = dict(db.session.execute(db.select(AlertRule.user_id, db.func.count(AlertRule.id))
                                     .where(AlertRule.user_id.in_(user_ids), AlertRule.active)
                                     .group_by(AlertRule.user_id)).all())
    latest = db.select(Delivery.user_id, db.func.max(Delivery.id).label("id")).where(
        Delivery.user_id.in_(user_ids)).group_by(Delivery.user_id).subquery()
    last = {uid: f"{status} ({release}, {kind}, {tries} tr{'y' if tries == 1 else 'ies'})"
            for uid, status, release, kind, tries in db.session.execute(
                db.select(Delivery.user_id, Delivery.status, Delivery.release_id, Delivery.kind, Delivery.tries)
                .join(latest, latest.c.id == Delivery.id)).all()}
    return {uid: {"rules": counts.get(uid, 0), "last_delivery": last.get(uid, "")} for uid in user_ids}


def _row(user):
    """Return one grid row: the user's switches, plan, status and the plan's key date."""
    plan = subscription_summary(user)
    return {
        "id": user.id,
        "email": user.email,
        "active": bool(user.active),
        "access_granted": bool(user.access_granted),
        "admin": user.is_admin,
        "subscriber": is_subscriber(user) if user.active else False,
        "subscription_status": user.subscription_status or "",
        "plan": plan["plan"] or "",
        "plan_date": f"{plan['date_label']} {plan['date_text']}" if plan["date_text"] else "",
        "created_at": _when(user.created_at),
        "last_login_at": _when(user.last_login_at),
    }


def audit_rows(limit=50):
    """Return the latest audit log entries, newest first."""
    entries = db.session.execute(
        db.select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(limit)
    ).scalars()
    return [
        {
            "when": _when(entry.created_at),
            "actor": entry.actor.email if entry.actor else "system",
            "action": entry.action,
            "target": entry.target.email if entry.target else "",
        }
        for entry in entries
    ]


def describe(user_id, field, value):
    """Return the confirmation question for a change, or None when it is not a known change."""
    user = db.session.get(User, user_id) if is_row_id(user_id) else None
    if user is None or field not in FIELDS or not isinstance(value, bool):
        return None
    return ACTION_TEXT[(field, value)].format(email=user.email)


def apply(actor, user_id, field, value):
    """Apply one confirmed change by actor; return a message, raise users.UserError when refused."""
    if actor is None or not actor.is_admin:
        raise users.UserError("Only admins can change users.")
    user = db.session.get(User, user_id) if is_row_id(user_id) else None
    if user is None or field not in FIELDS or not isinstance(value, bool):
        raise users.UserError("Unknown user or change.")
    try:
        FIELDS[field](actor, user, value)
    except users.UserError:
        db.session.rollback()
        raise
    return DONE_TEXT[(field, value)].format(email=user.email)
