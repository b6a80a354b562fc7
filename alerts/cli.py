"""`flask --app app alerts evaluate|worker`: run evaluation on demand, and the queue's worker."""
import click
from flask import current_app
from flask.cli import AppGroup

import jobqueue
from alerts import jobs
from data.schema import COFFEE
from data.cli.options import checked_release

alerts_cli = AppGroup("alerts", help="Alert rules: evaluate a release, run the queue worker.")


def run_after_release(summary):
    """Queue (or, without Redis, run here) evaluation of a new release; say which."""
    # Alert rules are on the default commodity until they carry their own (issue 35's web layer).
    if not summary.get("new") or summary.get("commodity_code", COFFEE) != COFFEE:
        return
    try:
        result = jobs.after_release(summary)
    except Exception as exc:  # the release is loaded either way; evaluation can be re-run
        click.secho(f"Alert evaluation failed: {exc}. Run `flask --app app alerts evaluate "
                    f"--release {summary['release_id']}`.", fg="red", err=True)
        return
    _say(result, summary["release_id"])


def _say(result, release_id):
    """Print where an evaluation went: a queued job id, or what the inline run did."""
    if isinstance(result, jobqueue.Kept):
        click.echo(f"Alert evaluation of release {release_id or 'latest'} kept in the users database: Redis is "
                   "unreachable. The alerts worker queues it when Redis answers again.")
    elif isinstance(result, dict):
        click.echo(f"Alerts for release {result['release_id']} evaluated here (no REDIS_URL, no queue): "
                   f"{result['firings']} new firings for {result['users']} users, {result['emails']} emails sent.")
    else:
        click.echo(f"Alert evaluation of release {release_id or 'latest'} queued as job {result.id} "
                   f"on queue {current_app.config['ALERTS_QUEUE']}.")


@alerts_cli.command("evaluate")
@click.option("--release", "release_id", callback=checked_release, help="Release id YYYY-MM (default: the latest).")
def evaluate_command(release_id):
    """Test every active rule against a release; store new firings and email them (and any email kept for later)."""
    try:
        jobqueue.run_due()
    except Exception as exc:  # Redis still away: the worker queues kept jobs when it answers
        click.echo(f"Kept jobs not queued now ({type(exc).__name__}); the alerts worker queues them later.", err=True)
    try:
        result = jobs.enqueue(jobs.evaluate_job, release_id)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    _say(result, release_id)


@alerts_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst):
    """Run an RQ worker for the alerts queue (any host that reaches Redis and the databases)."""
    if jobqueue.queue() is None:
        raise click.ClickException("REDIS_URL is not set: jobs run inline in the CLI, no worker is needed.")
    # Jobs run in this process, inside the app context this command holds; it outlives a Redis outage.
    jobqueue.work(burst=burst)
