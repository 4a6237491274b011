"""`flask jobs worker`: run this app's jobs; `flask doctor`: check what the platform needs."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from rq import Queue, Worker
from rq.job import Job

from app.extensions import db
from app.jobs import services
from app.jobs.doctor import doctor_command
from app.jobs.signals import worker_starting
from app.shared.unit_of_work import cli_unit_of_work

jobs_cli = AppGroup("jobs", help="Background jobs on Redis (RQ).")


class AppWorker(Worker):
    """An RQ worker whose forked job processes open their own database connections."""

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        """Forget the connections inherited from the parent, then run the job."""
        # Sharing a socket with the parent would interleave two conversations on it.
        for engine in db.engines.values():
            engine.dispose(close=False)
        super().main_work_horse(job, queue)


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker on this app's queues until Ctrl-C (or, with --burst, until empty)."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL is not set, so jobs run in the web process and need no worker."
        )
    with cli_unit_of_work():
        worker_starting.send(current_app._get_current_object())
    worker = AppWorker(services.queue_names(), connection=services.redis_connection())
    # The scheduler moves retried jobs back onto their queue once their back-off has passed.
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


def register(app: Flask) -> None:
    """Attach `flask jobs` and `flask doctor` to the app."""
    app.cli.add_command(jobs_cli)
    app.cli.add_command(doctor_command)
