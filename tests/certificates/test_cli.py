from datetime import date, timedelta

from app.certificates import services
from app.certificates.models import Certificate
from app.extensions import db
from tests.certificates.helpers import completed_session


def test_issue_command_prints_numbers_and_is_repeatable(app, runner, outbox):
    scene = completed_session()
    db.session.commit()
    result = runner.invoke(args=["certificates", "issue", "CFCAC-2026-KE-01"])
    assert result.exit_code == 0, result.output
    assert "CFCAC-2026-KE-01-0001" in result.output and "CFCAC-2026-KE-01-0002" in result.output
    assert db.session.query(Certificate).count() == 2
    assert len(outbox.refresh()) == 2
    again = runner.invoke(args=["certificates", "issue", "CFCAC-2026-KE-01"])
    assert again.exit_code == 0
    assert "0 certificates issued" in again.output
    assert scene.training_session.code in again.output


def test_issue_command_errors(app, runner):
    scene = completed_session()
    scene.training_session.status = "in_progress"
    db.session.commit()
    unknown = runner.invoke(args=["certificates", "issue", "NOPE"])
    assert unknown.exit_code != 0 and "No session" in unknown.output
    early = runner.invoke(args=["certificates", "issue", "CFCAC-2026-KE-01"])
    assert early.exit_code != 0 and "not completed yet" in early.output


def test_pdf_command_writes_exact_bytes(app, runner, tmp_path):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    db.session.commit()
    target = tmp_path / "out.pdf"
    result = runner.invoke(args=["certificates", "pdf", certificate.number, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == certificate.pdf
    missing = runner.invoke(args=["certificates", "pdf", "NOPE-0001", "-o", str(target)])
    assert missing.exit_code != 0


def test_remind_expiring_command_sends_once(app, runner, outbox):
    scene = completed_session(names=("Kwame Mensah",), validity_months=12)
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    certificate.expires_on = date.today() + timedelta(days=20)
    db.session.commit()
    outbox.refresh()
    before = len(outbox)
    first = runner.invoke(args=["certificates", "remind-expiring", "--days", "60"])
    assert first.exit_code == 0, first.output
    assert certificate.number in first.output
    second = runner.invoke(args=["certificates", "remind-expiring", "--days", "60"])
    assert "0 reminders sent" in second.output
    assert len(outbox.refresh()) == before + 1
