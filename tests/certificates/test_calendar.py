"""Certificates follow the calendar: only once the last day has come, valid from the end."""

from datetime import UTC, date, datetime

import pytest

from app.certificates import services
from app.shared import clock
from tests.certificates.helpers import completed_session


@pytest.fixture
def at(monkeypatch):
    """Return a callable that stops the one clock at a UTC moment."""

    def _at(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    return _at


def test_no_certificate_for_a_session_marked_completed_before_its_last_day(app, at):
    # Completed (by the old rule) and certified on 1 Dec, for a session of 29 Nov – 3 Dec.
    at(datetime(2025, 12, 1, 9, 0, tzinfo=UTC))
    scene = completed_session(names=("Kwame Mensah",))
    scene.training_session.start_date = date(2025, 11, 29)
    scene.training_session.end_date = date(2025, 12, 3)
    with pytest.raises(services.CertificateError, match="3 December 2025"):
        services.issue(scene.enrolments[0], scene.trainer)
    with pytest.raises(services.CertificateError, match="3 December 2025"):
        services.issue_for_session(scene.training_session, scene.trainer, notify=False)
    assert services.current_certificate(scene.enrolments[0]) is None


def test_validity_counts_from_the_session_end_not_the_issue_date(app, at):
    scene = completed_session(names=("Kwame Mensah",), validity_months=24)
    ends = scene.training_session.end_date
    at(datetime(ends.year + 1, 1, 10, 9, 0, tzinfo=UTC))  # issued long after the session
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    assert certificate.expires_on == services.add_months(ends, 24)
