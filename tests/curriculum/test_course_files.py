"""Every shipped course file parses, validates and reads like a real curriculum."""

import re
from pathlib import Path

import pytest

from app.curriculum.sync import course_files, load_course_file, read_courses, validate_course
from tests.curriculum.helpers import COURSES_DIR

STATIC_IMG = COURSES_DIR.parent / "static" / "img"
FILES = course_files(COURSES_DIR)


def test_there_are_at_least_four_courses():
    assert len(FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_course_file_is_valid(path: Path):
    data, problems = load_course_file(path)
    assert problems == []
    spec = validate_course(data, path.name, STATIC_IMG)
    assert path.stem == spec.slug, "a course file is named after its slug"
    for module in spec.modules:
        assert 3 <= len(module.objectives) <= 5, f"{spec.slug}/{module.slug}: 3-5 objectives"
        for objective in module.objectives:
            assert objective[0].isupper() and objective.endswith(".")
    text = path.read_text(encoding="utf-8").lower()
    assert not re.search(r"\b(lorem|ipsum|todo|tbd|xxx|placeholder)\b", text)


def test_whole_folder_validates_together():
    specs = read_courses(COURSES_DIR, STATIC_IMG)
    audiences = {audience for spec in specs for audience in spec.audiences}
    assert {"law_enforcement", "prosecutors_judges", "child_protection"} <= audiences
    assert any("trainer" in spec.title.lower() for spec in specs)


def test_cfcac_course_matches_the_brief():
    specs = {spec.slug: spec for spec in read_courses(COURSES_DIR, STATIC_IMG)}
    cfcac = specs["cfcac"]
    assert cfcac.code == "CFCAC"
    assert cfcac.audiences == ["law_enforcement"]
    assert cfcac.validity_months == 36
    assert 35 <= cfcac.total_hours <= 45
    traditions = {t for module in cfcac.modules for t in module.legal_traditions}
    assert {"common_law", "civil_law", "all"} <= traditions
    titles = " ".join(module.title for module in cfcac.modules)
    for topic in ("I-24/7", "ICSE", "evidence", "Victim identification", "grooming", "money"):
        assert topic.lower() in titles.lower(), topic
    # A session delivers the modules of one tradition: a 5-day course of 35-40 hours.
    for tradition in ("common_law", "civil_law"):
        hours = sum(m.hours for m in cfcac.modules if {"all", tradition} & set(m.legal_traditions))
        assert 35 <= hours <= 40
