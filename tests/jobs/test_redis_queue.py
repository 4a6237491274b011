"""The queue on a real Redis: nothing reaches it before the commit, a worker does the work."""

from rq.job import Job, JobStatus

from app.extensions import db
from app.jobs.services import enqueue_after_commit, is_sync
from tests import factories
from tests.jobs.tasks import user_named
from tests.redis_queue import app_overrides, work  # noqa: F401 (a fixture)


def test_a_worker_runs_the_job_after_the_commit(app, rq_queue, runner):
    assert not is_sync()
    user = factories.make_user(email="queued@example.org", name="Before")
    enqueue_after_commit("tests.jobs.tasks.rename_user", user.id, "After")
    assert rq_queue.count == 0  # not before the commit
    db.session.commit()
    assert rq_queue.count == 1
    assert user_named("queued@example.org") == "Before"  # the request did not do the work

    work(runner)
    assert rq_queue.count == 0
    assert user_named("queued@example.org") == "After"


def test_a_rolled_back_transaction_puts_nothing_on_redis(app, rq_queue):
    enqueue_after_commit("tests.jobs.tasks.add_user", "never@example.org")
    db.session.rollback()
    db.session.commit()
    assert rq_queue.count == 0


def test_a_job_id_waiting_on_redis_is_not_queued_twice(app, rq_queue, runner):
    user = factories.make_user(email="once@example.org", name="Start")
    db.session.commit()
    for name in ("First", "Second"):
        enqueue_after_commit("tests.jobs.tasks.rename_user", user.id, name, job_id="rename")
        db.session.commit()
    assert rq_queue.count == 1
    work(runner)
    assert user_named("once@example.org") == "First"

    # Once that job is done, the same id is new work again.
    enqueue_after_commit("tests.jobs.tasks.rename_user", user.id, "Third", job_id="rename")
    db.session.commit()
    work(runner)
    assert user_named("once@example.org") == "Third"


def test_a_failing_job_that_asks_for_retries_is_tried_again_later(app, rq_queue, runner):
    enqueue_after_commit("tests.jobs.tasks.fail", "broken@example.org", retries=2, job_id="f")
    db.session.commit()
    work(runner)
    job = Job.fetch("f", connection=rq_queue.connection)
    assert job.get_status() == JobStatus.SCHEDULED  # waiting out its back-off, not failed
    assert job.retries_left == 1
    assert user_named("broken@example.org") is None


def test_a_failing_job_without_retries_fails_once(app, rq_queue, runner):
    enqueue_after_commit("tests.jobs.tasks.fail", "broken@example.org", job_id="g")
    db.session.commit()
    work(runner)
    assert Job.fetch("g", connection=rq_queue.connection).get_status() == JobStatus.FAILED
