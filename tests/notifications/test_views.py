"""The administrator's email log: newest first, 50 a page, filtered by state."""

from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.notifications.models import EmailLog, EmailState


def _add(n: int, state: EmailState, start: datetime) -> None:
    for i in range(n):
        db.session.add(
            EmailLog(
                to_address=f"{state}{i}@example.org",
                subject=f"Subject {state} {i}",
                template="invitation",
                state=state,
                attempts=1,
                error="ConnectionRefusedError: [Errno 111] Connection refused"
                if state == EmailState.FAILED
                else None,
                queued_at=start + timedelta(minutes=i),
            )
        )


def test_admin_sees_the_newest_first_fifty_a_page_and_filters_by_state(app, client, as_role):
    base = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    _add(55, EmailState.SENT, base)
    _add(2, EmailState.FAILED, base + timedelta(days=1))
    db.session.commit()
    as_role("admin")

    html = client.get("/admin/emails").get_data(as_text=True)
    assert "57 emails" in html
    assert html.count("@example.org</td>") == 50
    assert html.index("failed1@example.org") < html.index("failed0@example.org")
    assert html.index("failed0@example.org") < html.index("sent54@example.org")
    assert "Page 1 of 2" in html

    second = client.get("/admin/emails?page=2").get_data(as_text=True)
    assert second.count("@example.org</td>") == 7 and "sent0@example.org" in second

    failed = client.get("/admin/emails?state=failed").get_data(as_text=True)
    assert "2 emails" in failed and "sent0@" not in failed
    assert "Connection refused" in failed


def test_the_menu_shows_emails_to_administrators_only(app, client, as_role):
    as_role("trainer")
    assert 'href="/admin/emails"' not in client.get("/").get_data(as_text=True)
    assert client.get("/admin/emails").status_code == 403
    as_role("admin")
    assert 'href="/admin/emails"' in client.get("/").get_data(as_text=True)


def test_log_page_keeps_page_numbers_in_range_and_filters_by_state(app):
    from app.notifications import services

    base = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    _add(3, EmailState.SENT, base)
    _add(1, EmailState.QUEUED, base)
    db.session.commit()
    assert [log.to_address for log in services.log_page(None, -4).items][:1] == [
        "sent2@example.org"
    ]
    assert services.log_page(None, 2).items == []
    assert [log.state for log in services.log_page(EmailState.QUEUED, 1).items] == ["queued"]
