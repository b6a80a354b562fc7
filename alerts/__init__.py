"""Saved views, alert rules, their evaluation after each release, and the digest emails."""


def init_app(app):
    """Register the alerts routes, commands, navbar hook and release hook on app."""
    import models.alerts  # noqa: F401  (the tables)
