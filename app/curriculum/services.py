"""Read the course catalogue; courses are written only by sync (courses/*.yaml)."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.curriculum.models import Course, CourseVersion
from app.extensions import db


def catalogue(audience: str | None = None) -> list[Course]:
    """Return the courses on offer (not retired), by title, optionally for one audience."""
    query = (
        select(Course)
        .where(Course.retired.is_(False))
        .options(selectinload(Course.versions).selectinload(CourseVersion.modules))
        .order_by(Course.title)
    )
    courses = list(db.session.scalars(query))
    if audience:
        # Audiences are a small JSON list; filtering here stays portable across backends.
        courses = [course for course in courses if audience in course.audiences]
    return courses


def all_courses() -> list[Course]:
    """Return every course, retired ones included, by title (to filter what was taught)."""
    return list(db.session.scalars(select(Course).order_by(Course.title)))


def find_course(course_id: int | None) -> Course | None:
    """Return the course with this id, retired or not, or None."""
    return db.session.get(Course, course_id) if course_id else None


def hours_by_tradition(version: CourseVersion) -> dict[str, Decimal]:
    """Return the hours a session teaches under each tradition when modules are alternatives."""
    tagged = {t for module in version.modules for t in module.legal_traditions} - {"all"}
    return {tradition: version.delivery_hours(tradition) for tradition in sorted(tagged)}
