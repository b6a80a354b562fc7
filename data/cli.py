"""Flask CLI commands: ingest, export, releases, refresh, follow, migrate-catalog (enso group: data/enso_cli.py)."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

import registry
from data import as_of, outcomes
from data.schema import COFFEE, SERVING_NAME

# What the CLI says after loading demo data: how to load the real file instead, in one sentence.
REAL_FILE_HINT = ("To load USDA's real data instead, download psd_coffee_csv.zip from PSD Online "
                  "(https://apps.fas.usda.gov/psdonline/app/index.html#/app/downloads) and run "
                  "`.venv/bin/flask --app app ingest path/to/psd_coffee_csv.zip` (a URL works too).")
# `flask --app app refresh` exit statuses.
NEW_RELEASE, NOTHING_NEW = 0, 3


def _report(summary):
    """Print what a load wrote, or that it added nothing."""
    for code, name in summary.get("unknown_country_codes", []):
        click.secho(f"Unknown USDA country code for {name!r}: loaded as {code} (add it to data/countries.py)",
                    fg="yellow")
    for attr_id, name in summary.get("unmapped_attributes", []):
        click.secho(f"Attribute {attr_id} ({name}) has no serving column: kept in Iceberg and in "
                    "obt_other_attributes", fg="yellow")
    if not summary.get("new", True):
        click.echo(f"No new release: the content is identical to release {summary['release_id']}; nothing was written.")
        return
    click.echo(
        f"Loaded {summary['rows']:,} values ({summary['kind']}) as release {summary['release_id']}, "
        f"Iceberg snapshot {summary['snapshot_id']}; serving file {summary['serving']}"
    )
    # What acts on a new release (alerts) is given at start by app.py (init_app): data/ imports none of it.
    for after in registry.current().after_release:
        after(summary)


def _load_options(command):
    """Add the options every loading command shares."""
    command = click.option("--commodity", default=COFFEE, show_default=True,
                           help="PSD commodity code to keep from the file.")(command)
    command = click.option("--force", is_flag=True,
                           help="Load even when the data shrinks against the last release.")(command)
    return click.option("--timeout", default=30.0, show_default=True, help="Download timeout in seconds.")(command)


def checked_release(_ctx, _param, release_id):
    """Return release_id when it is YYYY-MM, else stop with a usage error."""
    if release_id is not None and not as_of.is_release_id(release_id):
        raise click.BadParameter("expected YYYY-MM", param_hint="--release")
    return release_id


@click.command("ingest")
@with_appcontext
@click.argument("source", required=False)
@click.option("--demo", is_flag=True, help="Load generated DEMO data instead of a file: three releases into an "
              "empty store, then the next release each time.")
@click.option("--if-empty", is_flag=True, help="Do nothing when a serving file exists.")
@click.option("--fallback-demo", is_flag=True, help="Load demo data when SOURCE is unreachable.")
@click.option("--release", "release_id", callback=checked_release,
              help="Release id YYYY-MM (default: the file's Calendar_Year/Month, "
              "else this month).")
@_load_options
@outcomes.counted("ingest")
def ingest_command(source, demo, if_empty, fallback_demo, release_id, commodity, force, timeout):
    """Load a USDA PSD bulk file (path or URL, CSV or zip) into Iceberg as a release and export."""
    # Imported here: web workers never need pyiceberg, which would cost each of them 28 MB.
    from data import pipeline
    from data.export import ExportError, export, is_current
    from data.source import SourceError

    config = current_app.config
    serving = Path(config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME
    if if_empty and serving.exists():
        if is_current(serving):
            click.echo("Data already loaded; skipping ingest.")
            _hint_if_demo(serving)
            return
        click.echo("Data already loaded; rebuilding the serving file for this version ...")
        try:
            click.echo(f"Wrote {export(config)}")
            return
        except ExportError as exc:
            click.echo(f"{exc}; loading afresh.")
    if demo:
        if release_id:
            raise click.UsageError("--release does not apply to --demo: demo releases come in their own sequence.")
        _load_demo(config, force)
        return
    source = source or config["PSD_SOURCE_URL"]
    click.echo(f"Reading {source} ...")
    try:
        _report(pipeline.ingest(config, source, progress=_progress, timeout=timeout, commodity=commodity,
                                force=force, release_id=release_id))
    except SourceError as exc:
        if fallback_demo and str(source).startswith(("http://", "https://")):
            click.secho(f"{exc}\nUSDA is unreachable: loading DEMO DATA instead.", fg="yellow", err=True)
            _load_demo(config, force, unreachable=source)
            return
        raise click.ClickException(f"{exc}\nNothing was written.") from exc
    except pipeline.LoadRefused as exc:
        raise click.ClickException(f"{source}: {exc}\nNothing was written.") from exc


def _load_demo(config, force, unreachable=None):
    """Load the next demo releases (three into an empty store, else one more) and say how to load real data."""
    from data import pipeline

    try:
        summaries = pipeline.ingest_demo(config, force=force, unreachable=unreachable)
    except pipeline.LoadRefused as exc:
        raise click.ClickException(f"demo data: {exc}\nNothing was written.") from exc
    for summary in summaries:
        _report(summary)
    click.secho(f"DEMO DATA loaded (releases {', '.join(s['release_id'] for s in summaries)}); run "
                "`flask --app app ingest --demo` again to load the next demo release.", fg="yellow")
    click.secho(REAL_FILE_HINT, fg="yellow", bold=True)


def _hint_if_demo(serving):
    """Say how to load the real file when the latest release in the serving file is demo data."""
    from data.release_list import release_rows

    rows = release_rows(serving)
    if rows and rows[-1]["source_kind"] == "demo":
        click.secho(f"The data loaded is DEMO DATA. {REAL_FILE_HINT}", fg="yellow", bold=True)


def _progress(step):
    """Print a progress line for long loads (a line count, or a message)."""
    click.echo(f"  validated {step:,} lines" if isinstance(step, int) else f"  {step}", err=True)


@click.command("export")
@with_appcontext
def export_command():
    """Rebuild serving.duckdb from the Iceberg releases."""
    from data.export import ExportError, export

    try:
        click.echo(f"Wrote {export(current_app.config, progress=_progress)}")
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("releases")
@with_appcontext
def releases_command():
    """List the catalog's releases: id, load time, rows, values changed, snapshot, source; and what this host serves."""
    from data import iceberg
    from data.release_list import release_rows
    from data.releases import served

    config = current_app.config
    try:
        table = iceberg.open_table(iceberg.open_catalog(config))
        found = served(iceberg.releases(table), iceberg.load_history(table)) if table is not None else []
    except Exception as exc:  # an unreachable database or bucket: say which, without a traceback
        raise click.ClickException(f"cannot read the catalog: {type(exc).__name__}: {exc}") from exc
    if not found:
        raise click.ClickException("no releases in the catalog: run `flask --app app ingest` first")
    here = {row["release_id"]: row for row in release_rows(Path(config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME) or []}
    click.echo(f"{'release':<8}  {'loaded_at (UTC)':<19}  {'rows':>9}  {'changed':>8}  {'snapshot':<20}  source")
    for release in found:
        row = here.get(release["release_id"])
        changed = "-" if row is None or row["changed_values"] is None else f"{row['changed_values']:,}"
        click.echo(f"{release['release_id']:<8}  {release['loaded_at'][:19].replace('T', ' '):<19}  "
                   f"{release['rows']:>9,}  {changed:>8}  {release['snapshot_id']:<20}  {release['source']}")
    serving = max(here) if here else None
    behind = "" if serving == found[-1]["release_id"] and here[serving]["snapshot_id"] == found[-1]["snapshot_id"] \
        else " (behind the catalog)"
    click.echo(f"This host serves release {serving or 'none'}{behind}; the catalog's latest is {found[-1]['release_id']}.")


@click.command("follow")
@with_appcontext
@click.option("--once", is_flag=True, help="Check the catalog once, build if it moved on, and exit.")
def follow_command(once):
    """Keep this host's serving file on the shared catalog's latest release (gunicorn runs it with a shared catalog)."""
    from data import follow

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
    from data.migrate_catalog import MigrationRefused, migrate

    try:
        copied = migrate(current_app.config, from_data_dir, progress=_progress)
    except MigrationRefused as exc:
        raise click.ClickException(str(exc)) from exc
    for name, loads in copied.items():
        click.echo(f"Copied {loads} loads of {name} with their release tags.")


@click.command("refresh")
@with_appcontext
@_load_options
@outcomes.counted("refresh")
def refresh_command(commodity, force, timeout):
    """Fetch USDA's file (and NOAA's ONI file) if it changed, load it as a release and export.

    Exit status: 0 when a new release was loaded, 3 when there was nothing new, 1 on an error with USDA's file
    (NOAA's errors are reported and leave its served data as it was).
    """
    from data import pipeline
    from data.enso_cli import refresh_step
    from data.refresh import refresh
    from data.source import SourceError

    enso_new = refresh_step(force, timeout)
    try:
        summary = refresh(current_app.config, commodity=commodity, force=force, timeout=timeout, progress=_progress)
    except (SourceError, pipeline.LoadRefused) as exc:
        raise click.ClickException(f"{exc}\nNothing was written.") from exc
    if summary is None:
        click.echo("USDA's file has not changed since the last load (304 Not Modified); nothing to do.")
        raise SystemExit(NEW_RELEASE if enso_new else NOTHING_NEW)
    _report(summary)
    raise SystemExit(NEW_RELEASE if summary["new"] or enso_new else NOTHING_NEW)


def init_app(app, after_release=()):
    """Register the data commands on app; after_release: fn(load summary) each run after a load is reported."""
    from data.enso_cli import enso

    registry.of(app).after_release.extend(after_release)

    for command in (ingest_command, export_command, releases_command, refresh_command, follow_command,
                    migrate_catalog_command, enso):
        app.cli.add_command(command)
