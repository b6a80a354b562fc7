"""Flask CLI: `flask --app app enso ingest [SOURCE]` and `enso releases`, and the ENSO step of `refresh`."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from data.cli.options import checked_release
from data.schema import SERVING_NAME

enso = AppGroup("enso", help="NOAA's Oceanic Niño Index (ENSO): load and list releases.")


def _report(summary):
    """Print what an ONI load wrote, or that it added nothing."""
    if not summary["new"]:
        click.echo(f"No new ENSO release: the content is identical to release {summary['release_id']}; "
                   "nothing was written.")
        return
    click.echo(f"Loaded {summary['rows']:,} ONI seasons ({summary['first']} to {summary['last']}, {summary['kind']}) "
               f"as ENSO release {summary['release_id']}, Iceberg snapshot {summary['snapshot_id']}")
    if summary["serving"]:
        click.echo(f"Serving file {summary['serving']}")
    else:
        click.secho("Stored in Iceberg; no USDA data is loaded yet, so the serving file is written by the first "
                    "`flask --app app ingest`.", fg="yellow")


@enso.command("ingest")
@click.argument("source", required=False)
@click.option("--release", "release_id", callback=checked_release,
              help="Release id YYYY-MM (default: the month the file's last season ends).")
@click.option("--force", is_flag=True, help="Load even when the file covers fewer seasons than the last release.")
@click.option("--timeout", default=30.0, show_default=True, help="Download timeout in seconds.")
def ingest_command(source, release_id, force, timeout):
    """Load NOAA's ONI file (path or URL; default ENSO_SOURCE_URL) into Iceberg as a release and export."""
    from data import pipeline
    from data.lake.guards import LoadRefused
    from data.sources.fetch import SourceError

    source = source or current_app.config["ENSO_SOURCE_URL"]
    click.echo(f"Reading {source} ...")
    try:
        _report(pipeline.ingest_enso(current_app.config, source, timeout=timeout, force=force, release_id=release_id))
    except (SourceError, LoadRefused) as exc:
        raise click.ClickException(f"{exc}\nNothing was written; the ENSO data served is unchanged.") from exc


@enso.command("releases")
def releases_command():
    """List every ENSO release: id, load time, seasons, revised seasons, source."""
    import duckdb

    path = Path(current_app.config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME
    if not path.exists():
        raise click.ClickException("no serving file: run `flask --app app ingest` first")
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT release_id, loaded_at, rows, revised_seasons, last_season, source "
                           "FROM enso_releases ORDER BY release_id").fetchall()
    if not rows:
        click.echo("No ENSO release loaded: run `flask --app app enso ingest`.")
    for release_id, loaded_at, count, revised, last, source in rows:
        revised = "-" if revised is None else f"{revised:,}"
        click.echo(f"{release_id}  {loaded_at:%Y-%m-%d %H:%M:%S}  {count:>5} seasons to {last}  "
                   f"revised {revised:>4}  {source}")


def refresh_step(force, timeout):
    """Fetch NOAA's ONI file if it changed; return True when a new release was loaded.

    A failure is reported and leaves the served ENSO data as it was; USDA's refresh goes on.
    """
    from data.lake.guards import LoadRefused
    from data.refresh import refresh_enso
    from data.sources.fetch import SourceError

    try:
        summary = refresh_enso(current_app.config, force=force, timeout=timeout)
    except (SourceError, LoadRefused) as exc:
        click.secho(f"ENSO: {exc}\nThe ENSO data served is unchanged.", fg="yellow", err=True)
        return False
    if summary is None:
        click.echo("NOAA's ONI file has not changed since the last load (304 Not Modified).")
        return False
    _report(summary)
    return summary["new"]
