"""The job queue: one Huey instance per app, its tasks (the outbox dispatcher, the scheduled jobs) and commands.

Why Huey: it embeds (SQLite storage in the instance folder, so `make run` needs no server) and runs on
Redis in production with the same code; it is small (one package, no broker daemon of its own); and it
has periodic tasks built in, so digests and other scheduled work need no cron. `flask jobs worker` starts
the consumer; `flask jobs status` shows the queue, the outbox backlog and the last runs.

Every task runs inside an app context of the app that registered it.
"""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from huey import Huey

from marketplace.jobs.queue import make_huey
from marketplace.jobs.schedule import SCHEDULE, ScheduledJob

log = logging.getLogger("marketplace.jobs")
LAST_RUN_PREFIX = "last-run:"


class Jobs:
    """The app's job queue: `app.extensions["jobs"]`."""

    def __init__(self, app: Flask):
        """Create the Huey instance and register the dispatcher and the scheduled jobs on it."""
        self.app = app
        self.huey: Huey = make_huey(app)
        self.dispatch_task = self.huey.task(name="dispatch_outbox")(self.in_app(self.run_dispatch))
        self.scheduled = {job.name: self.huey.periodic_task(job.when(app), name=f"scheduled_{job.name}")(
            self.in_app(self.scheduled_body(job))) for job in SCHEDULE}
        self.encode_task = self.huey.task(name="encode_documents", retries=3, retry_delay=30)(
            self.in_app(self.run_encode))
        self.import_task = self.huey.task(name="run_import")(self.in_app(self.run_import))
        self.huey.on_startup("fresh_connections")(self.in_app(self.fresh_connections))

    @staticmethod
    def run_encode(doc_ids: list[str], encoder_name: str | None = None) -> int:
        """Task: encode (or reuse) one batch of documents for an encoder space (`flask reindex --queue`)."""
        from flask import current_app

        return int(current_app.extensions["matching"].encode_batch(list(doc_ids), encoder_name))

    @staticmethod
    def run_import(job_id: int) -> None:
        """Task: import the rows of one uploaded file (`marketplace.imports`)."""
        from marketplace.imports.services import run_import

        run_import(int(job_id))

    def scheduled_body(self, job: ScheduledJob) -> Callable[[], object]:
        """Return the task body of a scheduled job."""
        def run_job() -> object:
            """Run the scheduled job and record its run."""
            return self.run_scheduled(job)
        return run_job

    @property
    def immediate(self) -> bool:
        """Tell whether tasks run in the process that enqueues them (tests)."""
        return bool(self.huey.immediate)

    def in_app(self, fn: Callable) -> Callable:
        """Wrap a task body so it runs inside an app context of this app."""
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            with self.app.app_context():
                return fn(*args, **kwargs)
        return inner

    @staticmethod
    def fresh_connections() -> None:
        """Give a (possibly forked) worker database connections of its own."""
        from marketplace.extensions import db

        db.engine.dispose(close=False)

    def wake(self) -> None:
        """Enqueue the dispatcher after a commit that wrote outbox events; a lost wake-up is caught by the sweep."""
        try:
            self.dispatch_task()
        except Exception:  # noqa: BLE001 - the commit stands; the sweep dispatches within seconds
            log.exception("could not enqueue the outbox dispatcher")

    def sweep(self) -> None:
        """Enqueue the dispatcher unless the queue has work waiting (the consumer calls this every few seconds)."""
        if self.huey.pending_count() == 0:
            self.dispatch_task()

    def run_dispatch(self) -> dict[str, int]:
        """Task: carry out the available outbox events."""
        from marketplace.jobs.outbox import dispatch

        done = dispatch()
        if done:
            self.record_run("dispatch_outbox", done)
        return done

    def run_scheduled(self, job: ScheduledJob) -> object:
        """Task: run one scheduled job and record when it ran and what came of it."""
        started = time.monotonic()
        try:
            result = job.run()
        except Exception as exc:
            self.record_run(job.name, {"error": f"{type(exc).__name__}: {exc}"[:500]}, started)
            raise
        self.record_run(job.name, result, started)
        return result

    def record_run(self, name: str, result: object, started: float | None = None) -> None:
        """Remember the last run of a job in the queue's storage (shown by `flask jobs status`)."""
        entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "result": result}
        if started is not None:
            entry["seconds"] = round(time.monotonic() - started, 2)
        try:
            self.huey.put(LAST_RUN_PREFIX + name, entry)
        except Exception:  # noqa: BLE001 - bookkeeping only
            log.exception("could not record the run of %s", name)

    def last_runs(self) -> dict[str, dict]:
        """Return the last recorded run of the dispatcher and of each scheduled job."""
        runs = {}
        for name in ["dispatch_outbox", *self.scheduled]:
            value = self.huey.get(LAST_RUN_PREFIX + name, peek=True)
            if value is not None:
                runs[name] = value
        return runs


def install(app: Flask) -> None:
    """Create the app's job queue and add the `flask jobs` and `flask config-check` commands."""
    from marketplace.jobs import models  # noqa: F401 - the outbox tables belong to the app's metadata
    from marketplace.jobs.cli import install as install_cli

    app.extensions["jobs"] = Jobs(app)
    install_cli(app)
