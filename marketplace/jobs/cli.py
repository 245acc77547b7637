"""Commands of the job queue (`flask jobs worker|status|retry`) and the production check (`flask config-check`)."""
from __future__ import annotations

import json
import logging
import sys

import click
from flask import Flask
from flask.cli import AppGroup


def install(app: Flask) -> None:
    """Register the job-queue commands and `config-check` on the app."""
    jobs = AppGroup("jobs", help="Run and inspect the job queue (outbox, e-mail, digests, scheduled work).")

    @jobs.command("worker")
    @click.option("-w", "--workers", type=int, default=None, help="Worker threads or processes (JOBS_WORKERS).")
    @click.option("-k", "--worker-type", type=click.Choice(["thread", "process"]), default="thread",
                  help="Run the workers as threads (default) or processes (encoding on several cores).")
    @click.option("--no-periodic", is_flag=True, help="Do not enqueue the scheduled jobs (another consumer does).")
    def worker_command(workers: int | None, worker_type: str, no_periodic: bool) -> None:
        """Start the job consumer: dispatches the outbox, runs the scheduled jobs; Ctrl-C stops it."""
        from marketplace.config_check import ConfigurationError, is_production, require_production_ready
        from marketplace.jobs.queue import SweepingConsumer, storage_description

        extension = app.extensions["jobs"]
        if extension.immediate:
            raise click.ClickException("MARKETPLACE_JOBS_IMMEDIATE is on: tasks already run where they are enqueued.")
        if is_production(app):
            try:
                require_production_ready(app, index=False)
            except ConfigurationError as exc:
                raise click.ClickException(str(exc)) from None
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        count = workers or int(app.config["JOBS_WORKERS"])
        click.echo(f"Job worker: {count} {worker_type} worker(s) on {storage_description(app)}", err=True)
        consumer = SweepingConsumer(extension.huey, sweep=extension.sweep,
                                    sweep_every=float(app.config["JOBS_SWEEP_SECONDS"]), workers=count,
                                    worker_type=worker_type, periodic=not no_periodic,
                                    max_delay=float(app.config["JOBS_POLL_SECONDS"]),
                                    initial_delay=min(0.1, float(app.config["JOBS_POLL_SECONDS"])))
        consumer.run()

    @jobs.command("status")
    def status_command() -> None:
        """Show the queue's length, the outbox backlog per topic and the last runs of the scheduled jobs."""
        from marketplace.jobs.outbox import backlog
        from marketplace.jobs.queue import storage_description

        extension = app.extensions["jobs"]
        click.echo(f"Queue: {storage_description(app)}")
        try:
            huey = extension.huey
            click.echo(f"  tasks waiting {huey.pending_count()}, scheduled {huey.scheduled_count()}")
        except Exception as exc:  # noqa: BLE001 - status must say the queue is unreachable, not crash
            click.echo(f"  unreachable: {type(exc).__name__}: {exc}")
        click.echo("Outbox:")
        rows = backlog()
        if not rows:
            click.echo("  empty")
        for topic, counts in sorted(rows.items()):
            click.echo(f"  {topic}: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in
                                                  ("waiting", "retrying", "given_up", "done_last_hour")))
        click.echo("Last runs:")
        try:
            runs = extension.last_runs()
        except Exception:  # noqa: BLE001
            runs = {}
        if not runs:
            click.echo("  none recorded")
        for name, run in runs.items():
            click.echo(f"  {name}: {run['at']} {json.dumps(run.get('result'), ensure_ascii=False, default=str)}"
                       + (f" ({run['seconds']} s)" if "seconds" in run else ""))

    @jobs.command("retry")
    def retry_command() -> None:
        """Make outbox events that ran out of attempts available again (after fixing the cause)."""
        from marketplace.jobs.outbox import retry_given_up

        count = retry_given_up()
        app.extensions["jobs"].wake()
        click.echo(f"{count} outbox events will be tried again")

    app.cli.add_command(jobs)

    @app.cli.command("config-check")
    @click.option("--skip-index", is_flag=True, help="Do not check the search index (before the first reindex).")
    def config_check_command(skip_index: bool) -> None:
        """Check that everything a production start needs is configured and ready; list what is missing."""
        from marketplace.config_check import problems

        found = problems(app, index=not skip_index)
        if found:
            click.echo("Missing for a production start:")
            for problem in found:
                click.echo(f"- {problem}")
            sys.exit(1)
        click.echo("Ready for a production start.")
