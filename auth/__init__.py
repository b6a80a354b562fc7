"""Users, login, signup, password reset, admin and the access gate."""
from auth import models  # noqa: F401  (registers the tables)
from extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id):
    """Return the user for a session id of the form 'id:version', or None."""
    user_id, _, version = str(session_id).partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(models.User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def init_app(app):
    """Register login handling, routes and the gate on app."""
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
