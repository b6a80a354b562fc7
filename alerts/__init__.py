"""Saved views, alert rules, their evaluation after each release, and the digest emails."""


def init_app(app):
    """Register the alerts routes and commands on app (app.py hands its navbar items and release job to the floors below)."""
    import models.alerts  # noqa: F401  (the tables)
    from alerts import cli, commodity, routes, saved_views, unsubscribe

    app.register_blueprint(unsubscribe.bp)
    app.register_blueprint(routes.bp)
    app.register_blueprint(saved_views.bp)
    app.context_processor(saved_views.template_context)
    app.cli.add_command(cli.alerts_cli)
    commodity.listen()
