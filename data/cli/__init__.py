"""Flask CLI commands of the data layer, registered on the app by init_app."""
from data import commodities
from data.cli import catalog, enso, psd


def init_app(app):
    """Check the app's commodity declarations and register the data commands on app."""
    commodities.init_app(app)
    for command in (psd.ingest_command, psd.refresh_command, catalog.export_command, catalog.releases_command,
                    catalog.follow_command, catalog.migrate_catalog_command, enso.enso):
        app.cli.add_command(command)
