"""Flask CLI commands: ingest and export."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from data.schema import SERVING_NAME


def _report(summary):
    """Print what a load wrote."""
    click.echo(
        f"Loaded {summary['rows']:,} values ({summary['kind']}) as Iceberg snapshot "
        f"{summary['snapshot_id']}; serving file {summary['serving']}"
    )


@click.command("ingest")
@with_appcontext
@click.argument("source", required=False)
@click.option("--demo", is_flag=True, help="Load generated demo data instead of a file.")
@click.option("--if-empty", is_flag=True, help="Do nothing when a serving file exists.")
@click.option("--fallback-demo", is_flag=True, help="Load demo data when SOURCE is unreachable.")
@click.option("--timeout", default=30.0, show_default=True, help="Download timeout in seconds.")
def ingest_command(source, demo, if_empty, fallback_demo, timeout):
    """Load a USDA PSD bulk file (path or URL, CSV or zip) into Iceberg and export."""
    # Imported here: web workers never need pyiceberg, which would cost each of them 28 MB.
    from data import pipeline
    from data.export import ExportError, export, is_current
    from data.source import SourceError

    config = current_app.config
    serving = Path(config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME
    if if_empty and serving.exists():
        if is_current(serving):
            click.echo("Data already loaded; skipping ingest.")
            return
        click.echo("Data already loaded; rebuilding the serving file for this version ...")
        try:
            click.echo(f"Wrote {export(config)}")
            return
        except ExportError as exc:
            click.echo(f"{exc}; loading afresh.")
    if demo:
        _report(pipeline.ingest_demo(config))
        return
    source = source or config["PSD_SOURCE_URL"]
    click.echo(f"Reading {source} ...")
    try:
        _report(pipeline.ingest(config, source, progress=_progress, timeout=timeout))
    except SourceError as exc:
        if fallback_demo and str(source).startswith(("http://", "https://")):
            click.secho(f"{exc}\nUSDA is unreachable: loading DEMO DATA instead.", fg="yellow", err=True)
            _report(pipeline.ingest_demo(config))
            return
        raise click.ClickException(f"{exc}\nNothing was written.") from exc


def _progress(line_no):
    """Print a progress line for long loads."""
    click.echo(f"  validated {line_no:,} lines", err=True)


@click.command("export")
@with_appcontext
def export_command():
    """Rebuild serving.duckdb from the current Iceberg snapshot."""
    from data.export import ExportError, export

    try:
        click.echo(f"Wrote {export(current_app.config)}")
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc


def init_app(app):
    """Register the data commands on app."""
    app.cli.add_command(ingest_command)
    app.cli.add_command(export_command)
