"""Flask CLI commands that load PSD files: `ingest` (a file, a URL or demo data) and `refresh` (USDA's, if changed)."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from data import commodities as declared
from data.cli import outcomes
import registry
from data.cli.options import NEW_RELEASE, NOTHING_NEW, REAL_FILE_HINT, checked_release, load_options, progress
from data.schema import SERVING_NAME


def _report(summary):
    """Print what a load wrote per commodity, or that it added nothing; run the release hooks on each new one."""
    catalog = declared.current()
    for code, name in summary.get("unknown_country_codes", []):
        click.secho(f"Unknown USDA country code for {name!r}: loaded as {code} (add it to "
                    "data/reference/countries.py)", fg="yellow")
    for code, attr_id, name in summary.get("unmapped_attributes", []):
        click.secho(f"Attribute {attr_id} ({name}) has no serving column for {catalog.get(code).slug}: kept in "
                    "Iceberg and in obt_other_attributes", fg="yellow")
    for code, description, rows, why in summary.get("skipped", []):
        reason = "no declaration in commodities/" if why == "not declared" else "not in --commodity"
        click.echo(f"Skipped {code} {description} ({rows:,} values): {reason}.")
    for slug, identity, breaks, total in summary.get("identity_breaks", []):
        click.echo(f"Kept as USDA published them: {breaks} of {total:,} {slug} country-years miss the "
                   f"{identity} identity.")
    for result in summary["commodities"]:
        slug = catalog.get(result["commodity_code"]).slug
        if not result["new"]:
            click.echo(f"No new release: the content is identical to release {result['release_id']} ({slug}); "
                       "nothing was written.")
            continue
        click.echo(f"Loaded {result['rows']:,} {slug} values ({summary['kind']}) as release {result['release_id']}, "
                   f"Iceberg snapshot {result['snapshot_id']}")
    if summary["new"]:
        click.echo(f"Serving file {summary['serving']}")
    # What acts on a new release (alerts) is given at start by app.py (init_app), called once per commodity's new
    # release: data/ imports none of it.
    for result in summary["commodities"]:
        if result["new"]:
            for after in registry.current().after_release:
                after({**summary, **result, "commodity": catalog.get(result["commodity_code"]).slug})


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
@load_options
@outcomes.counted("ingest")
def ingest_command(source, demo, if_empty, fallback_demo, release_id, commodities, force, timeout):
    """Load a USDA PSD bulk file (path or URL, CSV or zip; any commodity group or PSD's all-data file): each
    declared commodity in it becomes a release, and the serving file is rebuilt."""
    # Imported here: web workers never need pyiceberg, which would cost each of them 28 MB.
    import duckdb
    from sqlalchemy.exc import SQLAlchemyError

    from data import pipeline
    from data.lake import reach
    from data.serving.export import ExportError, export, is_current
    from data.sources.fetch import SourceError

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
        _report(pipeline.ingest(config, source, progress=progress, timeout=timeout, commodities=commodities,
                                force=force, release_id=release_id))
    except SourceError as exc:
        if fallback_demo and str(source).startswith(("http://", "https://")):
            click.secho(f"{exc}\nUSDA is unreachable: loading DEMO DATA instead.", fg="yellow", err=True)
            _load_demo(config, force, unreachable=source)
            return
        raise click.ClickException(f"{exc}\nNothing was written.") from exc
    except pipeline.LoadRefused as exc:
        raise click.ClickException(f"{source}: {exc}\nNothing was written.") from exc
    except (OSError, SQLAlchemyError, duckdb.Error) as exc:  # catalog, bucket or disk failed: one line
        raise click.ClickException(f"ingest failed: {reach.cause(config, exc)}\nThe serving file was not changed; run the "
                                   "command again once it answers.") from exc


def _load_demo(config, force, unreachable=None):
    """Load the next demo releases (three into an empty store, else one more) and say how to load real data."""
    from data import pipeline

    try:
        summaries = pipeline.ingest_demo(config, force=force, unreachable=unreachable)
    except pipeline.LoadRefused as exc:
        raise click.ClickException(f"demo data: {exc}\nNothing was written.") from exc
    for summary in summaries:
        _report(summary)
    loaded = [f"{declared.current().get(r['commodity_code']).slug} {r['release_id']}"
              for s in summaries for r in s["commodities"] if r["new"]]
    click.secho(f"DEMO DATA loaded (releases {', '.join(loaded)}); run `flask --app app ingest --demo` again to "
                "load the next demo release of each.", fg="yellow")
    click.secho(REAL_FILE_HINT, fg="yellow", bold=True)


def _hint_if_demo(serving):
    """Say how to load the real file when the latest release in the serving file is demo data."""
    from data.serving.release_list import release_rows

    latest = {row["commodity_code"]: row for row in release_rows(serving) or []}
    if any(row["source_kind"] == "demo" for row in latest.values()):
        click.secho(f"The data loaded is DEMO DATA. {REAL_FILE_HINT}", fg="yellow", bold=True)


@click.command("refresh")
@with_appcontext
@load_options
@outcomes.counted("refresh")
def refresh_command(commodities, force, timeout):
    """Fetch USDA's file (and NOAA's ONI file) if it changed, load it as a release and export.

    Exit status: 0 when a new release was loaded, 3 when there was nothing new, 1 on an error with USDA's file
    (NOAA's errors are reported and leave its served data as it was).
    """
    from data import pipeline
    from data.cli.enso import refresh_step
    from data.cli.prices import refresh_step as prices_refresh_step
    from data.refresh import refresh
    from data.sources.fetch import SourceError

    enso_new = refresh_step(force, timeout)
    enso_new = prices_refresh_step(force, timeout) or enso_new
    try:
        summary = refresh(current_app.config, commodities=commodities, force=force, timeout=timeout,
                          progress=progress)
    except (SourceError, pipeline.LoadRefused) as exc:
        raise click.ClickException(f"{exc}\nNothing was written.") from exc
    if summary is None:
        click.echo("USDA's file has not changed since the last load (304 Not Modified); nothing to do.")
        raise SystemExit(NEW_RELEASE if enso_new else NOTHING_NEW)
    _report(summary)
    raise SystemExit(NEW_RELEASE if summary["new"] or enso_new else NOTHING_NEW)
