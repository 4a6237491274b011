"""A crafted reach scene whose figures are known exactly."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from types import SimpleNamespace

from app.shared.clock import today_in
from tests import factories as f


def build_scene() -> SimpleNamespace:
    """Create sessions and people covering every counting rule (flushes, never commits).

    Completed: S1 (KE, 2023, course A 13 h, partner P1) and S2 (UG, 2024, course B 4 h, imported).
    Alice completes S1 and S2 from KE (same person twice); Bob completes S1 from KE and S2 from RW
    (moved); Fay completes S2 from UG; Carol did not complete S1; Dave completed a cancelled
    session (TZ); Erin "completed" in a session still in progress (ET). Upcoming: S5 open in TZ.
    """
    s = SimpleNamespace()
    s.manager = f.make_user(
        roles=("manager",), email="manager@example.org", name="Programme Manager"
    )
    s.course_a = f.make_course(
        slug="course-a",
        title="Course A",
        modules=[("a1", 3, ["all"]), ("a2", 6, ["all"]), ("a3", 4, ["all"])],
    )
    s.course_b = f.make_course(
        slug="course-b", title="Course B", modules=[("b1", 2, ["all"]), ("b2", 2, ["all"])]
    )
    s.partner = f.make_partner("Regional Police Academy")
    s.s1 = f.make_training_session(
        s.course_a, host_country="KE", start=date(2023, 3, 6), status="completed", code="A-2023-KE"
    )
    s.s1.partners = [s.partner]
    s.s2 = f.make_training_session(
        s.course_b,
        host_country="UG",
        start=date(2024, 5, 13),
        status="completed",
        imported=True,
        code="B-2024-UG",
    )
    s.s3 = f.make_training_session(
        s.course_a, host_country="TZ", start=date(2024, 6, 3), status="cancelled", code="A-2024-TZ"
    )
    s.s4 = f.make_training_session(
        s.course_a,
        host_country="ET",
        start=today_in(None) - timedelta(days=1),
        status="in_progress",
        code="A-NOW-ET",
    )
    s.s5 = f.make_training_session(
        s.course_a,
        host_country="TZ",
        start=today_in(None) + timedelta(days=30),
        status="open",
        code="A-NEXT-TZ",
    )
    s.s6 = f.make_training_session(
        s.course_b,
        host_country="TZ",
        start=today_in(None) + timedelta(days=90),
        status="draft",
        code="B-LATER-TZ",
    )
    s.alice = f.make_participant("Alice Wanjiru", "KE", gender="female", agency_type="police")
    s.bob = f.make_participant("Bob Okello", "RW", gender="male", agency_type="prosecution")
    s.carol = f.make_participant("Carol Achieng", "KE", agency_type="police")
    s.dave = f.make_participant("Dave Mushi", "TZ", gender="male")
    s.erin = f.make_participant("Erin Tadesse", "ET", gender="female")
    s.fay = f.make_participant("Fay Nakato", "UG", gender="female", agency_type="child_protection")
    f.make_enrolment(s.s1, s.alice, completed=True)
    f.make_enrolment(s.s2, s.alice, completed=True)
    f.make_enrolment(s.s1, s.bob, completed=True, country_code="KE", organisation="Kenya Police")
    f.make_enrolment(s.s2, s.bob, completed=True, country_code="RW")
    f.make_enrolment(s.s1, s.carol, completed=False)
    f.make_enrolment(s.s3, s.dave, completed=True)
    f.make_enrolment(s.s4, s.erin, completed=True)
    f.make_enrolment(s.s2, s.fay, completed=True)
    return s


EXPECTED = {
    "participants_trained": 3,
    "countries_reached": 3,
    "sessions_delivered": 2,
    "host_countries": 2,
    "training_hours": 38.0,
}
EXPECTED_BY_COUNTRY = [
    {"country": "KE", "participants_trained": 2},
    {"country": "RW", "participants_trained": 1},
    {"country": "UG", "participants_trained": 1},
]


def add_bulk(size: int, offset: int = 0) -> None:
    """Add more completed sessions, people, countries and partners (for query-count tests)."""
    countries = ["FR", "BR", "IN", "TH", "MX", "NG", "PH", "PE", "VN", "JO"]
    for n in range(size):
        course = f.make_course(slug=f"bulk-{offset}-{n}", title=f"Bulk {offset} {n}")
        training_session = f.make_training_session(
            course,
            host_country=countries[n % len(countries)],
            start=date(2019 + n % 5, 1 + n % 12, 1),
            status="completed",
            code=f"BULK-{offset}-{n}",
        )
        training_session.partners = [f.make_partner(f"Bulk partner {offset}-{n}")]
        for k in range(3):
            person = f.make_participant(
                f"Bulk Person {offset} {n} {k}",
                countries[(n + k) % len(countries)],
                gender=("female", "male", None)[k],
                agency_type=("police", "ngo", "judiciary")[k],
            )
            f.make_enrolment(training_session, person, completed=k != 2)


def csv_rows(body: bytes) -> list[dict[str, str]]:
    """Read a reach CSV as people do: the first row is the header, in the exporter's language."""
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
