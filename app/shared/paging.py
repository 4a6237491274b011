"""A page of plain rows, counted only as far as the pager needs for a log that only grows.

Flask-SQLAlchemy's paginate reads ORM objects, one a row, and counts every matching row on
each view. A list of fifty lines reads plain column tuples (four times quicker than fifty
objects with all their columns). The audit trail and the email log grow for as long as the
programme runs: counted whole, their first page took longer every month (a millisecond per
300,000 entries on SQLite). Counted only COUNT_AHEAD rows past the page, it costs the same
at any size; the page then says "more than N" and offers the next page.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import func, literal_column, select

COUNT_AHEAD = 10_000  # rows counted past the current page: 200 pages of 50


class RowPagination(SelectPagination):
    """Paginate a select of columns: each item is a row (attributes named by the columns).

    Built as SelectPagination is: RowPagination(select=..., session=..., page=..., ...), and
    `counted=`: the same rows without the joins that only name them, when there are such
    joins (SQLite does not leave them out of the count: 37 ms instead of 1 at 300,000 rows);
    `count_ahead=True`: count no further than COUNT_AHEAD past the page (`capped` then says
    the total is a lower bound: there are more).
    """

    capped = False

    @property
    def more_than(self) -> int | None:
        """Return how many rows there are at least when the count was capped (else None)."""
        return COUNT_AHEAD if self.capped else None

    def _query_items(self) -> list[Any]:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement))

    def _query_count(self) -> int:
        """Count with the statement's own FROM and WHERE, not over a subquery of its columns.

        SELECT count(*) FROM t WHERE ... lets the database count from its smallest index; over
        a subquery of the listed columns SQLite took half as long again.
        For plain filtered selects only: no GROUP BY, DISTINCT or LIMIT of their own.
        """
        counted = self._query_args.get("counted", self._query_args["select"]).order_by(None)
        session = self._query_args["session"]
        if not self._query_args.get("count_ahead"):
            return (
                session.scalar(counted.with_only_columns(func.count(), maintain_column_froms=True))
                or 0
            )
        cap = self._query_offset + self.per_page + COUNT_AHEAD
        some = counted.with_only_columns(literal_column("1"), maintain_column_froms=True)
        found = session.scalar(select(func.count()).select_from(some.limit(cap + 1).subquery()))
        self.capped = bool(found and found > cap)
        return min(found or 0, cap)
