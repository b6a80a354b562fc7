"""Flask CLI commands of the data layer, registered on the app by init_app."""
import registry
from data import commodities
from data.cli import catalog, enso, prices, psd


def init_app(app, after_release=(), after_prices=()):
    """Check the app's commodity declarations and register the data commands on app.

    after_release: fn(summary of a commodity's new release) run after each load the CLI reports;
    after_prices: fn(summary of a new Pink Sheet edition) likewise.
    """
    commodities.init_app(app)
    registry.of(app).after_release.extend(after_release)
    registry.of(app).after_prices.extend(after_prices)
    for command in (psd.ingest_command, psd.refresh_command, catalog.export_command, catalog.releases_command,
                    catalog.follow_command, catalog.migrate_catalog_command, enso.enso, prices.prices):
        app.cli.add_command(command)
