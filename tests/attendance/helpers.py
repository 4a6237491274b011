"""Scenes for attendance tests: sessions full of people with names in several scripts."""

from __future__ import annotations

from datetime import date, timedelta

from app.scheduling.models import TrainingSession
from tests import factories

# (full name as written, Latin transliteration, country of service, organisation)
PEOPLE = [
    ("أمينة يوسف", "Amina Yusuf", "EG", "النيابة العامة"),
    ("สมชาย ประเสริฐ", "Somchai Prasert", "TH", "Royal Thai Police"),
    ("Grace Wanjiru", None, "KE", "Directorate of Criminal Investigations"),
    ("Иван Петров", "Ivan Petrov", "KZ", "Prosecutor General's Office"),
    ("अनीता शर्मा", "Anita Sharma", "IN", "CBI"),
    ("李明", "Li Ming", "CN", "Ministry of Public Security"),
    ("José Pérez", None, "CO", "Fiscalía General"),
    ("Fatou Diop", None, "SN", "Brigade des mineurs"),
    ("نور الهدى", "Nour El Houda", "MA", "DGSN"),
    ("ณัฐวุฒิ ศรีสุข", "Nattawut Srisuk", "TH", "DSI Thailand"),
]


def make_session(
    participants: int = 3,
    days: int = 3,
    start: date | None = None,
    status: str = "in_progress",
    trainer=None,
    threshold: str | None = None,
    **kwargs,
) -> tuple[TrainingSession, list]:
    """Create a session with enrolled people (names cycling through PEOPLE) and return both."""
    course_kwargs = {"completion_threshold": threshold} if threshold else {}
    course = factories.make_course(**course_kwargs)
    training_session = factories.make_training_session(
        course=course,
        start=start or date.today() - timedelta(days=1),
        days=days,
        status=status,
        trainers=[trainer] if trainer else [],
        **kwargs,
    )
    enrolments = []
    for index in range(participants):
        full_name, latin, country, organisation = PEOPLE[index % len(PEOPLE)]
        suffix = "" if index < len(PEOPLE) else f" {index // len(PEOPLE) + 1}"
        person = factories.make_participant(
            full_name + suffix,
            country_code=country,
            latin_name=(latin + suffix) if latin else None,
            organisation=organisation,
            email=f"p{training_session.id}-{index}@example.org",
        )
        enrolments.append(factories.make_enrolment(training_session, person))
    return training_session, enrolments
