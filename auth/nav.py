"""What the navbar lists for a user: open pages, and subscriber pages marked locked."""
import dash

from auth.access import SUBSCRIBER, allows


def nav_entries(user):
    """Return dicts (name, href, locked) for the navbar pages, in page order."""
    entries = []
    for page in dash.page_registry.values():
        if not page.get("nav"):
            continue
        access = page.get("access", "admin")
        if allows(user, access):
            entries.append({"name": page["name"], "href": page["relative_path"], "locked": False})
        elif access == SUBSCRIBER:
            entries.append({"name": page["name"], "href": "/#pricing", "locked": True})
    return entries
