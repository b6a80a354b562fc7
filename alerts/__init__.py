"""Saved views, alert rules, their evaluation after each release, and the digest emails."""


def init_app(app):
    """Register the alerts routes, commands, navbar hook and release hook on app."""
    import models.alerts  # noqa: F401  (the tables)
    from alerts import cli, routes, unsubscribe
    from data.cli import RELEASE_HOOKS

    app.register_blueprint(unsubscribe.bp)
    app.register_blueprint(routes.bp)
    app.cli.add_command(cli.alerts_cli)
    app.extensions.setdefault(RELEASE_HOOKS, []).append(cli.run_after_release)
