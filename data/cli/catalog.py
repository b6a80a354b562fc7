"""Flask CLI commands on the catalog and the serving file: export, releases, follow, migrate-catalog."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from data import commodities as declared
from data.cli.options import progress
from data.schema import SERVING_NAME


@click.command("export")
@with_appcontext
def export_command():
    """Rebuild serving.duckdb from the Iceberg releases."""
    # Imported here: web workers never need pyiceberg, which would cost each of them 28 MB.
    from data.serving.export import ExportError, export

    try:
        click.echo(f"Wrote {export(current_app.config, progress=progress)}")
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("releases")
@with_appcontext
@click.option("--commodity", "slugs", help="Only these commodities (slugs or PSD codes, comma-separated).")
def releases_command(slugs):
    """List each commodity's releases: id, load time, rows, values changed, snapshot, source; and what this host serves."""
    from data.lake import iceberg, reach
    from data.serving.release_list import release_rows
    from data.serving.releases import served

    config, catalog = current_app.config, declared.current()
    try:
        wanted = {catalog.code(key) for key in (slugs or "").split(",") if key.strip()}
    except declared.UnknownCommodity as exc:
        raise click.BadParameter(str(exc), param_hint="--commodity") from exc
    try:
        table = iceberg.open_table(iceberg.open_catalog(config))
        found = served(iceberg.commodity_releases(table), iceberg.latest_loads(table)) if table is not None else []
    except Exception as exc:  # an unreachable database or bucket: say which, without a traceback
        raise click.ClickException(f"cannot read the catalog: {reach.cause(config, exc)}") from exc
    found = [r for r in found if not wanted or r["commodity_code"] in wanted]
    if not found:
        raise click.ClickException("no releases in the catalog: run `flask --app app ingest` first")
    rows = release_rows(Path(config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME) or []
    here = {(row["commodity_code"], row["release_id"]): row for row in rows}
    for code in dict.fromkeys(r["commodity_code"] for r in found):
        _list(catalog, code, [r for r in found if r["commodity_code"] == code], here)


def _list(catalog, code, found, here):
    """Print one commodity's releases and whether this host serves its latest."""
    name = catalog.get(code).slug if code in catalog.codes else code
    click.echo(f"{name} ({code})")
    click.echo(f"  {'release':<8}  {'loaded_at (UTC)':<19}  {'rows':>9}  {'changed':>8}  {'snapshot':<20}  source")
    for release in found:
        row = here.get((code, release["release_id"]))
        changed = "-" if row is None or row["changed_values"] is None else f"{row['changed_values']:,}"
        click.echo(f"  {release['release_id']:<8}  {release['loaded_at'][:19].replace('T', ' '):<19}  "
                   f"{release['rows']:>9,}  {changed:>8}  {release['snapshot_id']:<20}  {release['source']}")
    served = max((release for c, release in here if c == code), default=None)
    latest = found[-1]
    current = served == latest["release_id"] and here[(code, served)]["snapshot_id"] == latest["snapshot_id"]
    click.echo(f"  This host serves {name} release {served or 'none'}{'' if current else ' (behind the catalog)'}; "
               f"the catalog's latest is {latest['release_id']}.")


@click.command("follow")
@with_appcontext
@click.option("--once", is_flag=True, help="Check the catalog once, build if it moved on, and exit.")
def follow_command(once):
    """Keep this host's serving file on the shared catalog's latest release (gunicorn runs it with a shared catalog)."""
    from data.serving import follow

    state = follow.run(current_app.config, once=once)
    if once and state and state.get("error"):
        raise click.ClickException(f"could not {state['error']['stage']}: {state['error']['message']}; "
                                   "the last good serving file stays")


@click.command("migrate-catalog")
@with_appcontext
@click.option("--from-data-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Data directory of the local catalog to copy (default BEANFLOWS_DATA_DIR).")
def migrate_catalog_command(from_data_dir):
    """Copy the local catalog's loads and release tags into the shared catalog (ICEBERG_CATALOG_URI)."""
    from data.lake.migrate import MigrationRefused, migrate

    try:
        copied = migrate(current_app.config, from_data_dir, progress=progress)
    except MigrationRefused as exc:
        raise click.ClickException(str(exc)) from exc
    for name, loads in copied.items():
        click.echo(f"Copied {loads} loads of {name} with their release tags.")
