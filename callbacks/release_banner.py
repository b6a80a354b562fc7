"""The banner over a dashboard that shows a release's numbers as published."""
from dash import dcc

from callbacks import frames

BANNER = "release-banner"


def commodity_notice(asked, shown):
    """Return a notice when the URL asked for a commodity this site does not serve, else None."""
    if asked in (None, "") or (isinstance(asked, str) and asked.strip().lower() == shown.slug):
        return None
    return frames.alert(f"Commodity {str(asked)[:40]!r} is not served here: showing {shown.name}.", "warning")


def banner(release, asked, latest_url):
    """Return the as-published banner, a notice for an unknown release, or None for the latest numbers."""
    if release:
        return frames.alert([f"As published in {release}: ", dcc.Link("see the latest", href=latest_url)], "info")
    if asked:
        return frames.alert(f"Release {str(asked)[:20]!r} is not known: showing the latest numbers.", "warning")
    return None
