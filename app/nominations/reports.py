"""Figures about nominations: a call's report, and the countries engaged (nominated once).

Reach shows the countries engaged beside the countries reached.

Read straight from the tables on each request, outside the reach cache, so a new nomination
shows at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import mean, median

from flask_babel import gettext as _
from sqlalchemy import distinct, func, select

from app.enrolment.models import Participant
from app.extensions import db
from app.nominations import queries
from app.nominations.models import Nomination, NominationCall
from app.scheduling.models import TrainingSession
from app.shared.countries import country_name

SECONDS_A_DAY = 86400


@dataclass(frozen=True)
class CallReport:
    """What managers ask of a call: who nominated, how many were taken, how fast they answered."""

    tallies: list[queries.CountryTally]
    nominated: int
    accepted: int
    silent: list[str]  # invited countries that nominated nobody
    days_to_nominate: list[float]  # from the call's opening to each nomination
    enrolments_ended: int = 0  # enrolled through the call, then withdrawn or declined

    @property
    def acceptance_rate(self) -> float | None:
        """Return the share of nominees given a seat (None before anyone is nominated)."""
        return self.accepted / self.nominated if self.nominated else None

    @property
    def median_days(self) -> float | None:
        """Return the median days from the call's opening to a nomination."""
        return median(self.days_to_nominate) if self.days_to_nominate else None

    @property
    def mean_days(self) -> float | None:
        """Return the mean days from the call's opening to a nomination."""
        return mean(self.days_to_nominate) if self.days_to_nominate else None


def call_report(call: NominationCall) -> CallReport:
    """Return the call's report; replaced nominees are not counted as nominated."""
    tallies = queries.country_tallies(call)
    put_forward = [n for n in queries.nominations_of(call) if n.status in queries.PUT_FORWARD]
    return CallReport(
        tallies=tallies,
        nominated=sum(t.nominated for t in tallies),
        accepted=sum(t.accepted for t in tallies),
        silent=[t.country_code for t in tallies if t.nominated == 0],
        days_to_nominate=[
            max((n.created_at - call.opened_at).total_seconds(), 0) / SECONDS_A_DAY
            for n in put_forward
        ],
        enrolments_ended=sum(queries.enrolment_ended(n) is not None for n in put_forward),
    )


def call_report_csv(call: NominationCall) -> str:
    """Return the call's figures per country as CSV, headed in the exporter's language."""
    report = call_report(call)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Country"), _("Country code"), _("Seats offered"), _("Nominated"), _("Accepted")]
    )
    for t in report.tallies:
        row = [country_name(t.country_code), t.country_code, t.seats, t.nominated, t.accepted]
        writer.writerow(row)
    writer.writerow([])
    rate = report.acceptance_rate
    for label, value in (
        (_("Acceptance rate (%)"), "" if rate is None else round(rate * 100, 1)),
        (_("Invited countries that nominated nobody"), len(report.silent)),
        (_("Median days from the call to a nomination"), _days(report.median_days)),
        (_("Mean days from the call to a nomination"), _days(report.mean_days)),
    ):
        writer.writerow([label, "", value])
    return out.getvalue()


def _days(value: float | None) -> str | float:
    return "" if value is None else round(value, 1)


def countries_engaged(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    course_id: int | None = None,
    host_country: str | None = None,
    countries: Iterable[str] | None = None,
    agency_type: str | None = None,
) -> int:
    """Count the countries that nominated someone at least once (replacements included).

    The filters are the reach dashboard's where they mean something for a nomination: the
    session's dates, course and host, the nominee's country of service and agency type.
    """
    statement = (
        select(func.count(distinct(Nomination.country_code)))
        .join(NominationCall, NominationCall.id == Nomination.call_id)
        .join(TrainingSession, TrainingSession.id == NominationCall.training_session_id)
    )
    if date_from is not None:
        statement = statement.where(TrainingSession.start_date >= date_from)
    if date_to is not None:
        statement = statement.where(TrainingSession.start_date <= date_to)
    if course_id is not None:
        statement = statement.where(TrainingSession.course_id == course_id)
    if host_country:
        statement = statement.where(TrainingSession.host_country == host_country)
    if countries is not None:
        statement = statement.where(Nomination.country_code.in_(list(countries)))
    if agency_type:
        statement = statement.join(Participant, Participant.id == Nomination.participant_id).where(
            Participant.agency_type == agency_type
        )
    return db.session.scalar(statement) or 0
