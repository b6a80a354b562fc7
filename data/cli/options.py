"""What the data commands share: exit statuses, the release-id and commodity options, progress lines."""
import click

from data import commodities as declared
from data.serving.as_of import is_release_id

# `flask --app app refresh` exit statuses.
NEW_RELEASE, NOTHING_NEW = 0, 3
# What the CLI says after loading demo data: how to load the real files instead, in one sentence.
REAL_FILE_HINT = ("To load USDA's real data instead, download psd_coffee_csv.zip (and psd_grains_pulses_csv.zip) "
                  "from PSD Online (https://apps.fas.usda.gov/psdonline/app/index.html#/app/downloads) and run "
                  "`.venv/bin/flask --app app ingest path/to/psd_coffee_csv.zip` (a URL works too).")


def checked_release(_ctx, _param, release_id):
    """Return release_id when it is YYYY-MM, else stop with a usage error."""
    if release_id is not None and not is_release_id(release_id):
        raise click.BadParameter("expected YYYY-MM", param_hint="--release")
    return release_id


def checked_commodities(ctx, _param, text):
    """Return the slugs or PSD codes of --commodity (comma-separated) when all are declared, else a usage error."""
    if not text:
        return None
    keys = [part.strip() for part in text.split(",") if part.strip()]
    catalog = declared.current()
    try:
        return [catalog.code(key) for key in keys]
    except declared.UnknownCommodity as exc:
        raise click.BadParameter(str(exc), param_hint="--commodity") from exc


def load_options(command):
    """Add the options every loading command shares."""
    command = click.option("--commodity", "commodities", callback=checked_commodities,
                           help="Declared commodities to load from the file: slugs or PSD codes, comma-separated "
                                "(default: every declared commodity in it).")(command)
    command = click.option("--force", is_flag=True,
                           help="Load even when the data shrinks against the last release.")(command)
    return click.option("--timeout", default=30.0, show_default=True, help="Download timeout in seconds.")(command)


def progress(step):
    """Print a progress line for long loads (a line count, or a message)."""
    click.echo(f"  validated {step:,} lines" if isinstance(step, int) else f"  {step}", err=True)
