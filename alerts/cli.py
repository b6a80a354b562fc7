"""`flask --app app alerts evaluate|worker`: run evaluation on demand, and the queue's worker."""
import click
from flask import current_app
from flask.cli import AppGroup

import jobqueue
from alerts import jobs
from data.cli.options import checked_release
from data.commodities import UnknownCommodity
from data.commodities.site import served_commodity

alerts_cli = AppGroup("alerts", help="Alert rules: evaluate a release, run the queue worker.")


def run_after_release(summary):
    """Queue (or, without Redis, run here) evaluation of a commodity's new release; say which."""
    if not summary.get("new"):
        return
    try:
        slug = served_commodity(summary.get("commodity_code")).slug
    except UnknownCommodity:
        return  # loaded, but not served by this site (SITE_COMMODITIES): nobody has rules or digests on it
    _evaluate(lambda: jobs.after_release(summary), lambda result: _say(result, summary["release_id"], slug),
              "Alert evaluation", f"--release {summary['release_id']} --commodity {slug}")


def run_after_prices(summary):
    """Queue (or, without Redis, run here) evaluation of the price rules on a new Pink Sheet edition; say which."""
    if not summary.get("new") or not summary.get("serving"):
        return  # nothing new, or not served yet (no USDA data): the first `ingest` serves it, `alerts evaluate --prices`
    _evaluate(lambda: jobs.after_prices(summary), lambda result: _say_prices(result, summary["release_id"]),
              "Price alert evaluation", f"--prices --release {summary['release_id']}")


def _evaluate(run, say, what, again):
    """Run an evaluation after a load and say where it went; on failure say how to run it again (the load stays)."""
    try:
        result = run()
    except Exception as exc:  # the data is loaded either way; evaluation can be re-run
        click.secho(f"{what} failed: {exc}. Run `flask --app app alerts evaluate {again}`.", fg="red", err=True)
        return
    say(result)


def _say(result, release_id, slug=None):
    """Print where an evaluation went: a queued job id, or what the inline run did."""
    of = f" of {slug}" if slug else ""
    if isinstance(result, jobqueue.Kept):
        click.echo(f"Alert evaluation of release {release_id or 'latest'}{of} kept in the users database: Redis is "
                   "unreachable. The alerts worker queues it when Redis answers again.")
    elif isinstance(result, dict):
        click.echo(f"Alerts for release {result['release_id']} evaluated here (no REDIS_URL, no queue), "
                   f"{result['commodity']}: {result['firings']} new firings for {result['users']} users, "
                   f"{result['emails']} emails sent.")
    else:
        click.echo(f"Alert evaluation of release {release_id or 'latest'} queued as job {result.id} "
                   f"on queue {current_app.config['ALERTS_QUEUE']}{of}.")


def _say_prices(result, edition):
    """Print where an evaluation of the price rules went: a queued job id, or what the inline run did."""
    what = f"Price alert evaluation of Pink Sheet edition {edition or 'newest'}"
    if isinstance(result, jobqueue.Kept):
        click.echo(f"{what} kept in the users database: Redis is unreachable. The alerts worker queues it when "
                   "Redis answers again.")
    elif isinstance(result, dict):
        click.echo(f"Price alerts for Pink Sheet edition {result['edition']} evaluated here (no REDIS_URL, no queue): "
                   f"{result['firings']} new firings for {result['users']} users, {result['emails']} emails sent.")
    else:
        click.echo(f"{what} queued as job {result.id} on queue {current_app.config['ALERTS_QUEUE']}.")


@alerts_cli.command("evaluate")
@click.option("--release", "release_id", callback=checked_release, help="Release id YYYY-MM (default: the latest).")
@click.option("--commodity", help="Slug or PSD code of a commodity the site serves (default: the site's first).")
@click.option("--prices", is_flag=True, help="Test the price rules of every commodity against a Pink Sheet edition "
              "(--release: the edition, default the newest) instead of a USDA release.")
def evaluate_command(release_id, commodity, prices):
    """Test every active rule on a commodity against its release (or every price rule against a Pink Sheet
    edition); store new firings and email them (and any email kept for later)."""
    if prices and commodity is not None:
        raise click.UsageError("--commodity does not apply to --prices: an edition holds every commodity's prices.")
    if commodity is not None:
        try:
            commodity = served_commodity(commodity).slug
        except UnknownCommodity as exc:
            raise click.BadParameter(str(exc), param_hint="--commodity") from None
    try:
        jobqueue.run_due()
    except Exception as exc:  # Redis still away: the worker queues kept jobs when it answers
        click.echo(f"Kept jobs not queued now ({type(exc).__name__}); the alerts worker queues them later.", err=True)
    try:
        if prices:
            result = jobs.enqueue(jobs.evaluate_prices_job, release_id)
        else:
            # Without --commodity the job's arguments stay as before: jobs kept by an older release still run.
            result = jobs.enqueue(jobs.evaluate_job, *((release_id,) if commodity is None else (release_id, commodity)))
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    if prices:
        _say_prices(result, release_id)
    else:
        _say(result, release_id, commodity)


@alerts_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst):
    """Run an RQ worker for the alerts queue (any host that reaches Redis and the databases)."""
    if jobqueue.queue() is None:
        raise click.ClickException("REDIS_URL is not set: jobs run inline in the CLI, no worker is needed.")
    # Jobs run in this process, inside the app context this command holds; it outlives a Redis outage.
    jobqueue.work(burst=burst)
