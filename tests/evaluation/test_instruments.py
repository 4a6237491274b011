"""The instrument files beside the courses: shipped ones valid, broken ones named precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.curriculum.sync import CourseFileError, read_courses
from app.evaluation.instruments import MIN_FORM_ITEMS, load_instruments

COURSES = Path(__file__).resolve().parents[2] / "courses"


def _shipped():
    return {i.slug: i for i in load_instruments(COURSES, read_courses(COURSES))}


def test_the_shipped_instruments_cover_the_four_kinds():
    shipped = _shipped()
    assert {"reaction", "trainer-report", "follow-up-3m", "follow-up-6m"} <= set(shipped)
    assert shipped["follow-up-3m"].months_after == 3
    assert shipped["follow-up-6m"].months_after == 6
    types = {q.type for q in shipped["reaction"].questions}
    assert types == {"likert", "single", "multiple", "text"}
    assert shipped["reaction"].languages == ("en", "fr")


@pytest.mark.parametrize("course", ["cfcac", "child-protection-online-abuse"])
def test_each_course_test_has_two_parallel_forms_on_its_objectives(course):
    test = next(i for i in _shipped().values() if i.course == course)
    a, b = test.form_items("A"), test.form_items("B")
    assert len(a) >= MIN_FORM_ITEMS and len(b) >= MIN_FORM_ITEMS
    assert not {i.id for i in a} & {i.id for i in b}
    assert sorted(i.module for i in a) == sorted(i.module for i in b)
    spec = next(s for s in read_courses(COURSES) if s.slug == course)
    objectives = {m.slug: m.objectives for m in spec.modules}
    for item in test.items:
        module, number = item.objective.split("/")
        assert int(number) <= len(objectives[module])
        assert 0 <= item.answer < len(item.options)


def _copy_courses(tmp_path: Path) -> Path:
    target = tmp_path / "courses"
    shutil.copytree(COURSES, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def test_sync_accepts_the_shipped_files(runner):
    result = runner.invoke(args=["courses", "sync", "--dry-run"])
    assert result.exit_code == 0, result.output


def test_sync_names_the_file_and_question_of_each_problem(runner, tmp_path):
    folder = _copy_courses(tmp_path)
    path = folder / "evaluation" / "cfcac-knowledge.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("objective: digital-evidence/2\n", "objective: digital-evidence/9\n", 1)
    text = text.replace("  B: [gr-protocol,", "  B: [gr-terminology,", 1)
    path.write_text(text, encoding="utf-8")
    (folder / "evaluation" / "reaction.yaml").write_text(
        (folder / "evaluation" / "reaction.yaml")
        .read_text(encoding="utf-8")
        .replace("type: single", "type: dropdown", 1),
        encoding="utf-8",
    )
    result = runner.invoke(args=["courses", "sync", "--dry-run", "--dir", str(folder)])
    assert result.exit_code != 0
    output = result.output
    assert "cfcac-knowledge.yaml: items[6] (de-live).objective: module 'digital-evidence'" in output
    assert "has 5 objectives" in output
    assert "A and B must differ, but both ask gr-terminology" in output
    assert "reaction.yaml: questions[6] (pace).type: must be one of" in output
    assert "nothing was changed" in output


def test_a_test_on_an_unknown_course_or_without_forms_is_refused(tmp_path):
    folder = _copy_courses(tmp_path)
    (folder / "evaluation" / "extra.yaml").write_text(
        "slug: extra\nkind: knowledge_test\nversion: '1'\nlanguages: [en]\ntitle: T\n"
        "course: no-such-course\nitems:\n  - {id: a, objective: x/1, text: Q, options: [a, b], "
        "answer: 3}\n",
        encoding="utf-8",
    )
    with pytest.raises(CourseFileError) as caught:  # read_courses runs the instruments' check
        read_courses(folder)
    messages = [str(p) for p in caught.value.problems]
    assert any("extra.yaml: course: must name a course file's slug" in m for m in messages)
    assert any("extra.yaml: items[0] (a).answer: must be the number" in m for m in messages)
    assert any("extra.yaml: forms: must give two parallel forms" in m for m in messages)
