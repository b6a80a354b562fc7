"""Saved views, alert rules, their evaluation after each release, and the digest emails."""


def init_app(app):
    """Register the alerts routes, commands, navbar hook and release hook on app."""
    import models.alerts  # noqa: F401  (the tables)
    from alerts import cli, nav, routes, saved_views, unsubscribe
    from data.cli.options import RELEASE_HOOKS
    from ui.shell import NAVBAR_HOOKS

    app.register_blueprint(unsubscribe.bp)
    app.register_blueprint(routes.bp)
    app.register_blueprint(saved_views.bp)
    app.context_processor(saved_views.template_context)
    app.extensions.setdefault(NAVBAR_HOOKS, []).append(nav.navbar_items)
    app.cli.add_command(cli.alerts_cli)
    app.extensions.setdefault(RELEASE_HOOKS, []).append(cli.run_after_release)
