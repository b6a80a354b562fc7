"""Teams: the /team page, invitations and seats of the Team plan, members' API tokens, the `flask teams` commands."""


def init_app(app):
    """Register the team routes, the team tokens page, the teams commands, the team emails' sender and the
    over-seats notice (under the navbar of the templates, in the navbar of the Dash pages) on app."""
    from teams import accept, cli, notice, outbox, routes, tokens  # noqa: F401  (accept adds its routes to the blueprint)
    from ui.shell import NAVBAR_HOOKS

    app.register_blueprint(routes.bp)
    app.register_blueprint(tokens.bp)
    app.cli.add_command(cli.teams_cli)
    outbox.init_app(app)
    app.context_processor(notice.template_context)
    app.extensions.setdefault(NAVBAR_HOOKS, []).append(notice.navbar_items)
