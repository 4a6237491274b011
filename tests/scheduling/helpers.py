"""Builders for scheduling tests."""

from __future__ import annotations

from datetime import date

from app.scheduling.services import SessionDetails
from tests import factories


def details(trainer=None, **overrides) -> SessionDetails:
    """Return valid details for a 3-day session in Nairobi, changed by overrides."""
    values = {
        "host_country": "KE",
        "city": "Nairobi",
        "venue": "Police Academy",
        "start_date": date(2026, 3, 2),
        "end_date": date(2026, 3, 4),
        "capacity": 20,
        "language": "en",
        "trainers": [trainer or factories.make_user(roles=("trainer",))],
    }
    values.update(overrides)
    return SessionDetails(**values)


def form_data(course, trainer, **overrides) -> dict:
    """Return POST data for the session form."""
    data = {
        "host_country": "KE",
        "city": "Nairobi",
        "venue": "Police Academy",
        "start_date": "2026-03-02",
        "end_date": "2026-03-04",
        "timezone": "",
        "language": course.languages[0],
        "capacity": "20",
        "country_quota": "",
        "enrolment_deadline": "",
        "legal_tradition": "",
        "trainers": [str(trainer.id)],
        "new_partners": "",
        "notes": "",
    }
    data.update(overrides)
    return data
