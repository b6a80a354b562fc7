"""Teams: the /team page, invitations and seats of the Team plan."""


def init_app(app):
    """Register the team routes on app."""
    from teams import routes, accept  # noqa: F401  (accept adds its routes to the blueprint)

    app.register_blueprint(routes.bp)
