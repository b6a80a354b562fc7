"""The navbar items of alerts and saved views (app.py gives them to the navbar, auth/nav.py)."""
from alerts.routes import unread_count
from alerts.saved_views import saved_views
from alerts.sharing import team_id_of
from auth.nav import Link, ViewsMenu
from models.entitlement import is_subscriber

MENU_VIEWS = 15
UNREAD_BADGE = "alerts-unread-badge"


def navbar_items(user):
    """Return a subscriber's alerts link, with the count of unread notifications, and saved-views menu."""
    if not is_subscriber(user):
        return []
    views = tuple((item.view.name, f"/views/{item.view.id}", None if item.mine else item.author)
                  for item in saved_views(user)[:MENU_VIEWS])
    return [Link("Alerts", "/alerts", badge=unread_count(user.id), badge_id=UNREAD_BADGE),
            ViewsMenu(views, share=team_id_of(user.id) is not None)]
