"""Flask CLI: `flask --app app prices ingest [SOURCE]` and `prices releases`, and the prices step of `refresh`."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

import registry
from data.schema import SERVING_NAME

prices = AppGroup("prices", help="World Bank Pink Sheet prices: load an edition and list releases.")

UNCHANGED = "Nothing was written; the prices served are unchanged."


def _report(summary):
    """Print what a Pink Sheet load wrote, or that it added nothing."""
    if not summary["new"]:
        click.echo(f"No new prices release: edition {summary['release_id']} is loaded already with this content; "
                   "nothing was written.")
        return
    click.echo(f"Loaded {summary['rows']:,} monthly prices of {summary['series']} series ({summary['first']} to "
               f"{summary['last']}, {summary['kind']}) as prices release {summary['release_id']}, "
               f"Iceberg snapshot {summary['snapshot_id']}")
    if summary["serving"]:
        click.echo(f"Serving file {summary['serving']}")
    else:
        click.secho("Stored in Iceberg; no USDA data is loaded yet, so the serving file is written by the first "
                    "`flask --app app ingest`.", fg="yellow")
    # What acts on a new edition (price alerts) is given at start by app.py: data/ imports none of it.
    for after in registry.current().after_prices:
        after(summary)


@prices.command("ingest")
@click.argument("source", required=False)
@click.option("--force", is_flag=True, help="Load even when the edition holds fewer months than the newest one.")
@click.option("--timeout", default=60.0, show_default=True, help="Download timeout in seconds.")
def ingest_command(source, force, timeout):
    """Load a Pink Sheet edition (CMO-Historical-Data-Monthly.xlsx, path or URL; default PRICES_URL)."""
    from data import pipeline
    from data.lake.guards import LoadRefused
    from data.sources.fetch import SourceError

    source = source or current_app.config["PRICES_URL"]
    if not source:
        raise click.UsageError("name the edition to load (a path or URL), or set PRICES_URL")
    click.echo(f"Reading {source} ...")
    try:
        _report(pipeline.ingest_prices(current_app.config, source, timeout=timeout, force=force))
    except (SourceError, LoadRefused) as exc:
        raise click.ClickException(f"{exc}\n{UNCHANGED}") from exc


@prices.command("releases")
def releases_command():
    """List every prices release: edition, load time, values, revised values, last month, source."""
    import duckdb

    path = Path(current_app.config["BEANFLOWS_DATA_DIR"]) / SERVING_NAME
    if not path.exists():
        raise click.ClickException("no serving file: run `flask --app app ingest` first")
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT release_id, loaded_at, rows, revised_values, last_month, source "
                           "FROM prices_releases ORDER BY release_id").fetchall()
    if not rows:
        click.echo("No prices release loaded: run `flask --app app prices ingest FILE`.")
    for release_id, loaded_at, count, revised, last, source in rows:
        revised = "-" if revised is None else f"{revised:,}"
        click.echo(f"{release_id}  {loaded_at:%Y-%m-%d %H:%M:%S}  {count:>6} values to {last}  "
                   f"revised {revised:>4}  {source}")


def refresh_step(force, timeout):
    """Fetch PRICES_URL if it changed; return True when a new release was loaded (a failure leaves prices as they were)."""
    from data.lake.guards import LoadRefused
    from data.refresh import refresh_prices
    from data.sources.fetch import SourceError

    if not current_app.config.get("PRICES_URL"):
        return False
    try:
        summary = refresh_prices(current_app.config, force=force, timeout=timeout)
    except (SourceError, LoadRefused) as exc:
        click.secho(f"Prices: {exc}\nThe prices served are unchanged.", fg="yellow", err=True)
        return False
    if summary is None:
        click.echo("The World Bank's Pink Sheet has not changed since the last load (304 Not Modified).")
        return False
    _report(summary)
    return summary["new"]
