"""What the navbar lists for a user: open pages, and the rest marked as locked."""
from urllib.parse import urlencode

import dash

from auth.access import SUBSCRIBER, USER, allows


def nav_entries(user):
    """Return dicts (name, href, locked, hint) for the navbar pages, in page order."""
    entries = []
    for page in dash.page_registry.values():
        if not page.get("nav"):
            continue
        access = page.get("access", "admin")
        if allows(user, access):
            entries.append({"name": page["name"], "href": page["relative_path"], "locked": False, "hint": None})
        elif access == USER:
            href = "/login?" + urlencode({"next": page["relative_path"]})
            entries.append({"name": page["name"], "href": href, "locked": True, "hint": "Log in to open"})
        elif access == SUBSCRIBER:
            entries.append({"name": page["name"], "href": "/#pricing", "locked": True, "hint": "Subscriber feature"})
    return entries

