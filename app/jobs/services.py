"""Work that leaves the request: jobs on RQ (Redis), enqueued only once the transaction commits.

A job is named by the dotted path of a function ("app.certificates.jobs.issue_batch") and
plain arguments (ids, not objects), so a worker on another machine can run it against the
same database. `REDIS_URL` names the Redis; without it, or with `JOBS_SYNC` (on by default
when `TESTING`), a job runs in this process right after the commit, in its own app context
and session, just as a worker would run it.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus

from app.jobs import runner
from app.shared.after_commit import after_commit

DEFAULT_QUEUE = "default"
# Seconds between tries for jobs that ask for retries: soon, then later, then much later.
BACKOFF = (10, 60, 300, 900)
# A job in these states will still do (or is doing) its work: the same id is not queued again.
_PENDING = frozenset({JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED})


def enqueue_after_commit(
    func_path: str,
    *args,
    job_id: str | None = None,
    retries: int = 0,
    queue: str = DEFAULT_QUEUE,
    timeout: int | None = None,
    **kwargs,
) -> None:
    """Queue func_path(*args, **kwargs) to run once the current transaction commits.

    Nothing is queued if the transaction rolls back. A job_id makes the job count once: twice
    in one transaction, or while an earlier job of that id waits or runs, it is queued once.
    retries asks RQ to try a failing job again that many times, waiting BACKOFF between tries.
    timeout (seconds) replaces RQ's default of 180 s for long work such as large batches.
    """
    runner.resolve(func_path)  # a typo fails here, in the request, not later in a worker
    after_commit(
        lambda: _enqueue(
            func_path, args, kwargs, job_id=job_id, retries=retries, queue=queue, timeout=timeout
        ),
        key=("job", job_id) if job_id else None,
    )


def is_sync() -> bool:
    """Return whether jobs run in this process instead of on a worker."""
    config = current_app.config
    return bool(config.get("JOBS_SYNC", config.get("TESTING"))) or not config.get("REDIS_URL")


def redis_connection() -> Redis:
    """Return a Redis client for REDIS_URL (redis://host:port/db or unix:///path.sock)."""
    return Redis.from_url(current_app.config["REDIS_URL"])


def queue_names() -> Sequence[str]:
    """Return the queues this app's workers listen on, most urgent first."""
    return current_app.config.get("JOBS_QUEUES") or (DEFAULT_QUEUE,)


def _enqueue(
    func_path: str,
    args: tuple,
    kwargs: dict,
    *,
    job_id: str | None,
    retries: int,
    queue: str,
    timeout: int | None,
) -> None:
    if is_sync():
        runner.run(func_path, *args, **kwargs)
        return
    rq_queue = Queue(queue, connection=redis_connection())
    options = {
        "args": (func_path, *args),
        "kwargs": kwargs,
        "job_id": job_id,
        "description": func_path,
        "retry": Retry(max=retries, interval=list(BACKOFF[:retries])) if retries else None,
        "timeout": timeout,
    }
    if job_id is None:
        rq_queue.enqueue_call(runner.run, **options)
        return
    try:
        rq_queue.enqueue_call(runner.run, unique=True, **options)
    except DuplicateJobError:
        previous = Job.fetch(job_id, connection=rq_queue.connection)
        if previous.get_status(refresh=False) in _PENDING:
            return  # that job will do this work
        previous.delete()  # finished, failed or stopped: this is new work under the same id
        rq_queue.enqueue_call(runner.run, unique=True, **options)
