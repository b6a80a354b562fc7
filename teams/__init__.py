"""Teams: the /team page, invitations and seats of the Team plan, members' API tokens, the `flask teams` commands."""


def init_app(app):
    """Register the team routes, the team tokens page, the teams commands and the team emails' sender on app."""
    from teams import accept, cli, outbox, routes, tokens  # noqa: F401  (accept adds its routes to the blueprint)
    from teams import sso  # adds POST /team/sso to the blueprint

    app.register_blueprint(routes.bp)
    sso.init_app(app)
    app.register_blueprint(tokens.bp)
    app.cli.add_command(cli.teams_cli)
    outbox.init_app(app)
