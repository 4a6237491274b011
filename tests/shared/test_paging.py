"""A log counted only a little ahead of its page still pages through everything it holds."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import EmailLog
from app.shared import paging
from app.shared.paging import RowPagination

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def emails(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_AHEAD", 5)
    for n in range(20):
        db.session.add(EmailLog(to_address=f"p{n:02d}@example.org", subject="s", template="t"))
    db.session.commit()
    return select(EmailLog.to_address).order_by(EmailLog.to_address)


def _page(statement, number: int, ahead: bool = True) -> RowPagination:
    return RowPagination(
        select=statement,
        session=db.session,
        page=number,
        per_page=2,
        error_out=False,
        count_ahead=ahead,
    )


def test_a_first_page_counts_a_few_pages_ahead_and_says_there_are_more(emails):
    first = _page(emails, 1)
    assert [row.to_address for row in first.items] == ["p00@example.org", "p01@example.org"]
    assert first.capped and first.total == 7 and first.has_next and first.more_than == 5


def test_the_count_follows_the_reader_to_the_last_page(emails):
    reached = [_page(emails, number) for number in range(1, 11)]
    assert [row.to_address for page in reached for row in page.items] == [
        f"p{n:02d}@example.org" for n in range(20)
    ]
    last = reached[-1]
    assert not last.capped and last.total == 20 and last.pages == 10 and not last.has_next
    assert _page(emails, 11).items == []


def test_counted_whole_when_asked(emails):
    whole = _page(emails, 1, ahead=False)
    assert not whole.capped and whole.total == 20
