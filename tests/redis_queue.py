"""What the tests that run jobs on a real Redis share: the settings, the queue, a burst worker.

A test module imports `app_overrides` (a fixture) and calls `work(runner)`; the `rq_queue`
fixture lives in tests/conftest.py, so tests can name it as a parameter.
"""

import pytest


@pytest.fixture
def app_overrides(redis_url):
    """Send jobs to the run's Redis instead of running them in the test's process."""
    return {"REDIS_URL": redis_url, "JOBS_SYNC": False}


def work(runner) -> None:
    """Run `flask jobs worker --burst`: every job waiting now, then exit."""
    result = runner.invoke(args=["jobs", "worker", "--burst"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
