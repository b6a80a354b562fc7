"""The banner over a dashboard that shows a release's numbers as published."""
from dash import dcc
from flask import current_app

from callbacks import frames
from data.serving import as_of, behind

BANNER = "release-banner"


def commodity_notice(asked, shown):
    """Return a notice when the URL asked for a commodity this site does not serve, else None."""
    if asked in (None, "") or (isinstance(asked, str) and asked.strip().lower() == shown.slug):
        return None
    return frames.alert(f"Commodity {str(asked)[:40]!r} is not served here: showing {shown.name}.", "warning")


def banner(release, asked, latest_url, commodity_code=None):
    """Return the as-published banner, a notice for a release not served here (yet), or None for the latest."""
    if release:
        return frames.alert([f"As published in {release}: ", dcc.Link("see the latest", href=latest_url)], "info")
    known_form = isinstance(asked, str) and as_of.is_release_id(asked) and commodity_code
    wait = behind.retry_after(current_app.config, commodity_code, asked) if known_form else None
    if wait is not None:  # another host serves it already; this one takes it on its next look at the catalog
        return frames.alert(f"Release {asked} is being loaded on this server: showing the latest numbers until "
                            f"then. Reload in about {wait} s to see it as published.", "info")
    if asked:
        return frames.alert(f"Release {str(asked)[:20]!r} is not known: showing the latest numbers.", "warning")
    return None
