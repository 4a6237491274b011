"""Hours taught: the agenda's, or the version's for the tradition with alternatives once."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.certificates.services import freeze_content, transcript_rows
from app.curriculum.models import Course
from app.enrolment.models import Enrolment, Participant
from app.extensions import db
from app.reporting import services
from app.reporting.filters import parse_filters
from app.scheduling.models import AgendaItem, TrainingSession
from tests import factories as f


def _course():
    """Return a 9-hour course whose two 3-hour covert modules are alternatives (6 h taught)."""
    course = f.make_course(
        slug="alt",
        title="Alternatives",
        modules=[
            ("intro", 2, ["all"]),
            ("covert-common", 3, ["common_law"]),
            ("covert-civil", 3, ["civil_law"]),
            ("review", 1, ["all"]),
        ],
    )
    for module in course.current_version.modules[1:3]:
        module.alternative_group = "covert"
    return course


def _agenda(training_session, *entries):
    modules = {module.slug: module for module in training_session.course_version.modules}
    training_session.agenda_items = [
        AgendaItem(course_module=modules[slug], day=training_session.start_date, hours=hours)
        for slug, hours in entries
    ]
    db.session.flush()


@pytest.fixture
def scene(app):
    course = _course()
    # Imported, no agenda, no tradition: the alternatives count once (6 h, not 9).
    imported = f.make_training_session(
        course, start=date(2021, 2, 1), status="completed", imported=True, code="ALT-2021"
    )
    # A civil-law session without agenda: intro, covert-civil, review (6 h).
    civil = f.make_training_session(
        course,
        host_country="SN",
        start=date(2022, 2, 1),
        status="completed",
        legal_tradition="civil_law",
        code="ALT-2022",
    )
    # A mixed session whose agenda taught both variants, and more of the intro: 2.5+3+3+1.
    both = f.make_training_session(
        course,
        host_country="MU",
        start=date(2023, 2, 1),
        status="completed",
        legal_tradition="mixed",
        code="ALT-2023",
    )
    _agenda(
        both,
        ("intro", Decimal("2.5")),
        ("covert-common", 3),
        ("covert-civil", 3),
        ("review", 1),
    )
    # A short session whose agenda holds the intro only: 2 h, whatever the course says.
    short = f.make_training_session(
        course, host_country="UG", start=date(2024, 2, 1), status="completed", code="ALT-2024"
    )
    _agenda(short, ("intro", 2))
    people = {
        name: f.make_participant(name, country)
        for name, country in (("Awa Diop", "SN"), ("Jean Marie", "MU"), ("Okot Peter", "UG"))
    }
    f.make_enrolment(imported, people["Awa Diop"], completed=True)
    f.make_enrolment(civil, people["Awa Diop"], completed=True)
    f.make_enrolment(both, people["Jean Marie"], completed=True)
    f.make_enrolment(short, people["Okot Peter"], completed=True)
    f.make_enrolment(imported, people["Okot Peter"], completed=True)
    db.session.commit()
    return {"imported": imported, "civil": civil, "both": both, "short": short, **people}


def test_each_session_is_credited_with_what_it_taught(scene):
    assert scene["imported"].taught_hours() == 6
    assert scene["civil"].taught_hours() == 6
    assert [m.slug for m, _h in scene["civil"].taught_modules()] == [
        "intro",
        "covert-civil",
        "review",
    ]
    assert scene["both"].taught_hours() == Decimal("9.5")
    assert scene["short"].taught_hours() == 2


def test_reach_hours_are_the_hours_taught(scene):
    reach = services.compute_reach(parse_filters({}))
    # Awa 6 + 6, Jean 9.5, Okot 2 + 6: not 5 x 9 = 45 for the course's sum of modules.
    assert reach.totals["training_hours"] == 29.5
    by_country = {row["country"]: row["training_hours"] for row in reach.by_country}
    assert by_country == {"SN": 12.0, "MU": 9.5, "UG": 8.0}
    assert {row["year"]: row["training_hours"] for row in reach.by_year} == {
        2021: 12.0,
        2022: 6.0,
        2023: 9.5,
        2024: 2.0,
    }
    assert reach.by_course[0]["training_hours"] == 29.5
    assert reach.api_json()["training_hours"] == 29.5


def test_transcripts_and_certificates_say_the_same_hours(scene):
    rows, total = transcript_rows(scene["Awa Diop"])
    assert [row["hours"] for row in rows] == [6, 6]
    assert total == 12
    assert transcript_rows(scene["Okot Peter"])[1] == 8
    assert not scene["civil"].agenda_items
    frozen = freeze_content(scene["Awa Diop"].enrolments[1])
    assert frozen["total_hours"] == "6"
    assert [m["title"] for m in frozen["modules"]] == ["Intro", "Covert Civil", "Review"]


def test_demo_reach_hours_equal_the_transcripts(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    reach = services.compute_reach(parse_filters({}))
    people = db.session.scalars(select(Participant)).all()
    transcripts = sum((transcript_rows(person)[1] for person in people), Decimal(0))
    assert reach.totals["training_hours"] == float(transcripts)
    cfcac_completions = db.session.scalar(
        select(func.count(Enrolment.id))
        .join(TrainingSession)
        .join(Course)
        .where(
            Course.slug == "cfcac",
            TrainingSession.status == "completed",
            Enrolment.completed.is_(True),
        )
    )
    assert cfcac_completions > 0
    # Every CFCAC completion counts the 39 hours a delivery teaches, never the 42 of all modules.
    by_course = {row["course"]: row["training_hours"] for row in reach.by_course}
    assert by_course["cfcac"] == 39 * cfcac_completions
