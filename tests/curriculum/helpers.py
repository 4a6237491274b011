"""Build course files in a temporary folder and read back what the database holds."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml
from sqlalchemy import select

from app.curriculum.models import Course
from app.extensions import db

COURSES_DIR = Path(__file__).resolve().parents[2] / "courses"

BASE_COURSE = {
    "slug": "alpha",
    "code": "ALPHA",
    "title": "Alpha course",
    "version": "1.0",
    "summary": "A course used by the curriculum tests.",
    "audiences": ["law_enforcement"],
    "languages": ["en", "fr"],
    "modules": [
        {
            "slug": "intro",
            "title": "Introduction",
            "hours": 2,
            "legal_traditions": ["all"],
            "objectives": ["Describe the scope of the course."],
        },
        {
            "slug": "evidence",
            "title": "Digital evidence",
            "hours": 6.5,
            "legal_traditions": ["all"],
            "objectives": ["Document the chain of custody.", "Request a forensic examination."],
        },
        {
            "slug": "covert",
            "title": "Covert online operations",
            "hours": 3,
            "legal_traditions": ["common_law"],
            "objectives": ["Plan an authorised covert operation."],
        },
    ],
}


def course_data(**overrides) -> dict:
    """Return a valid course as a dict, with top-level keys overridden."""
    data = copy.deepcopy(BASE_COURSE)
    data.update(overrides)
    return data


def write_course(directory: Path, data: dict | str, name: str | None = None) -> Path:
    """Write a course file (a dict is dumped as YAML, a str is written as is)."""
    directory.mkdir(parents=True, exist_ok=True)
    if isinstance(data, dict):
        name = name or f"{data['slug']}.yaml"
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    else:
        text = data
    path = directory / (name or "course.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def copy_real_courses(tmp_path: Path) -> Path:
    """Copy the shipped courses/ into a temporary folder the test may change."""
    target = tmp_path / "courses"
    shutil.copytree(COURSES_DIR, target)
    return target


def db_state() -> list[tuple]:
    """Return everything sync may change, to compare before and after."""
    db.session.expire_all()
    state = []
    for course in db.session.scalars(select(Course).order_by(Course.slug)):
        state.append(
            (
                course.id,
                course.slug,
                course.title,
                course.summary,
                course.retired,
                tuple(
                    (v.id, v.number, v.label, v.content_hash, tuple(m.id for m in v.modules))
                    for v in course.versions
                ),
            )
        )
    return state


def get_course(slug: str) -> Course:
    """Load a course by slug with fresh attributes."""
    db.session.expire_all()
    return db.session.scalar(select(Course).where(Course.slug == slug))
