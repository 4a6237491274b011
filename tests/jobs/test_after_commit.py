"""Jobs and emails wait for the commit; a rolled-back transaction leaves nothing behind."""

import pytest

from app.extensions import db
from app.jobs.services import enqueue_after_commit, is_sync
from app.shared.after_commit import after_commit, pending_count
from tests import factories
from tests.jobs.tasks import user_named


def test_tests_run_jobs_synchronously(app):
    assert is_sync()


def test_a_job_runs_only_once_the_transaction_commits(app):
    enqueue_after_commit("tests.jobs.tasks.add_user", "late@example.org")
    db.session.flush()
    assert user_named("late@example.org") is None

    db.session.commit()
    assert user_named("late@example.org") == "Queued"


def test_a_rolled_back_transaction_enqueues_nothing(app):
    enqueue_after_commit("tests.jobs.tasks.add_user", "never@example.org")
    db.session.rollback()
    db.session.commit()  # a later, empty commit does not resurrect the dropped job
    assert user_named("never@example.org") is None
    assert pending_count() == 0


def test_the_job_sees_what_the_request_committed(app):
    user = factories.make_user(email="new@example.org", name="Before")
    enqueue_after_commit("tests.jobs.tasks.rename_user", user.id, "After")
    db.session.commit()
    assert user_named("new@example.org") == "After"


def test_the_same_job_id_runs_once_per_transaction(app):
    user = factories.make_user(email="twice@example.org", name="Start")
    enqueue_after_commit("tests.jobs.tasks.rename_user", user.id, "First", job_id="rename-1")
    enqueue_after_commit("tests.jobs.tasks.rename_user", user.id, "Second", job_id="rename-1")
    assert pending_count() == 1
    db.session.commit()
    assert user_named("twice@example.org") == "First"


def test_a_failing_job_is_logged_keeps_none_of_its_writes_and_the_rest_still_runs(app, caplog):
    ran = []
    enqueue_after_commit("tests.jobs.tasks.fail", "broken@example.org")
    after_commit(lambda: ran.append("mail"))
    factories.make_user(email="saved@example.org", name="Saved")
    db.session.commit()
    assert ran == ["mail"]
    assert "this job always fails" in caplog.text
    assert user_named("broken@example.org") is None
    assert user_named("saved@example.org") == "Saved"


def test_a_misspelt_job_fails_in_the_request_not_later(app):
    with pytest.raises(ValueError, match="No job function"):
        enqueue_after_commit("tests.jobs.tasks.no_such_job", 1)
    assert pending_count() == 0


def test_a_rolled_back_savepoint_drops_only_its_own_side_effects(app):
    enqueue_after_commit("tests.jobs.tasks.add_user", "outer@example.org")
    savepoint = db.session.begin_nested()
    enqueue_after_commit("tests.jobs.tasks.add_user", "inner@example.org")
    savepoint.rollback()
    db.session.commit()
    assert user_named("outer@example.org") == "Queued"
    assert user_named("inner@example.org") is None


def test_a_job_breaking_a_domain_rule_fails_for_the_queue_and_keeps_nothing(app):
    from app.jobs import runner
    from app.shared.unit_of_work import DomainError

    with pytest.raises(DomainError, match="breaks a rule"):
        runner.run("tests.jobs.tasks.refuse", "refused@example.org")
    assert user_named("refused@example.org") is None


def test_a_job_run_by_the_runner_is_committed(app):
    from app.jobs import runner

    runner.run("tests.jobs.tasks.add_user", "ran@example.org", name="Ran")
    assert user_named("ran@example.org") == "Ran"
