"""Team administration for support and team admins: members' API tokens, and the `flask teams` commands."""


def init_app(app):
    """Register the team tokens page and the teams commands on app."""
    from teamadmin import cli, tokens

    app.register_blueprint(tokens.bp)
    app.cli.add_command(cli.teams_cli)
