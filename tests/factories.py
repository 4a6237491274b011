"""One-line builders for test data; each flushes so ids exist, none commits."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.attendance.models import AttendanceRecord
from app.curriculum.models import Course, CourseModule, CourseVersion
from app.enrolment.models import Enrolment, EnrolmentStatus, Participant
from app.extensions import db
from app.scheduling.models import PartnerOrganisation, SessionStatus, TrainingSession

PASSWORD = "correct horse battery"
# The app hashes with scrypt, deliberately slow (80 ms a check). The test accounts share one
# quick hash of the test password: a walk that signs in or confirms a password a hundred times
# (changing an email) took 11 s for the hashing alone. Passwords the app sets are its own.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
_counter = itertools.count(1)


def make_user(
    roles=("participant",), email: str | None = None, name: str | None = None, **kwargs
) -> User:
    """Create an account whose password is PASSWORD."""
    n = next(_counter)
    user = User(
        email=email or f"user{n}@example.org",
        name=name or f"User {n}",
        roles=set(roles),
        password_hash=kwargs.pop("password_hash", _PASSWORD_HASH),
        **kwargs,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_course(
    slug: str | None = None, modules: list[tuple[str, float, list[str]]] | None = None, **kwargs
) -> Course:
    """Create a course with one version; modules are (slug, hours, legal_traditions)."""
    n = next(_counter)
    slug = slug or f"course-{n}"
    kwargs.setdefault("code", "TST")
    course = Course(
        slug=slug,
        title=kwargs.pop("title", f"Course {n}"),
        summary=kwargs.pop("summary", "A course for tests."),
        audiences=kwargs.pop("audiences", ["law_enforcement"]),
        languages=kwargs.pop("languages", ["en", "fr"]),
        source_file=f"{slug}.yaml",
        **kwargs,
    )
    version = CourseVersion(number=1, label="1.0", content_hash=f"hash-{n}")
    for position, (module_slug, hours, traditions) in enumerate(
        modules
        or [
            ("intro", 3, ["all"]),
            ("evidence", 6, ["all"]),
            ("special-techniques", 4, ["common_law"]),
        ]
    ):
        version.modules.append(
            CourseModule(
                position=position,
                slug=module_slug,
                title=module_slug.replace("-", " ").title(),
                hours=Decimal(str(hours)),
                objectives=[f"Understand {module_slug}."],
                legal_traditions=list(traditions),
            )
        )
    course.versions.append(version)
    db.session.add(course)
    db.session.flush()
    return course


def make_partner(name: str | None = None) -> PartnerOrganisation:
    """Create a partner organisation."""
    partner = PartnerOrganisation(name=name or f"Partner {next(_counter)}")
    db.session.add(partner)
    db.session.flush()
    return partner


def make_training_session(
    course: Course | None = None,
    host_country: str = "KE",
    start: date | None = None,
    days: int = 3,
    status: str = SessionStatus.OPEN,
    trainers=(),
    **kwargs,
) -> TrainingSession:
    """Create a session of a course (a new one by default) at a host country and dates."""
    course = course or make_course()
    start = start or date.today() + timedelta(days=30)
    n = next(_counter)
    training_session = TrainingSession(
        code=kwargs.pop("code", f"{course.code}-{start.year}-{host_country}-{n:02d}"),
        course=course,
        course_version=course.current_version,
        host_country=host_country,
        city=kwargs.pop("city", "Nairobi"),
        start_date=start,
        end_date=start + timedelta(days=days - 1),
        status=status,
        capacity=kwargs.pop("capacity", 20),
        **kwargs,
    )
    training_session.trainers = list(trainers)
    db.session.add(training_session)
    db.session.flush()
    return training_session


def make_participant(
    full_name: str | None = None,
    country_code: str = "KE",
    email: str | None = None,
    user: User | None = None,
    **kwargs,
) -> Participant:
    """Create a person in the directory (with no account unless user is given)."""
    n = next(_counter)
    participant = Participant(
        full_name=full_name or f"Participant {n}",
        country_code=country_code,
        email=email,
        user=user,
        organisation=kwargs.pop("organisation", "National Police"),
        agency_type=kwargs.pop("agency_type", "police"),
        **kwargs,
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def make_enrolment(
    training_session: TrainingSession | None = None,
    participant: Participant | None = None,
    status: str = EnrolmentStatus.ENROLLED,
    **kwargs,
) -> Enrolment:
    """Enrol a participant directly, bypassing the rules (for setting up a scene)."""
    training_session = training_session or make_training_session()
    participant = participant or make_participant()
    enrolment = Enrolment(
        training_session=training_session,
        participant=participant,
        status=status,
        country_code=kwargs.pop("country_code", participant.country_code),
        organisation=kwargs.pop("organisation", participant.organisation),
        agency_type=kwargs.pop("agency_type", participant.agency_type),
        **kwargs,
    )
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def make_attendance(enrolment: Enrolment, day: date, status: str = "present") -> AttendanceRecord:
    """Record one day's attendance."""
    record = AttendanceRecord(enrolment=enrolment, day=day, status=status)
    db.session.add(record)
    db.session.flush()
    return record
