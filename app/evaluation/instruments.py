"""Survey and test instruments, read from courses/evaluation/*.yaml and validated with the courses.

An instrument is a reaction survey, a trainer's session report, a follow-up, or a knowledge
test: an item bank whose items are each tagged to one learning objective of the course
(`module-slug/number`, counting the module's objectives from 1), and two parallel forms A and
B drawn from it, so that the pre-test and the post-test ask different items about the same
objectives. `flask courses sync` runs `check_instruments`, which names the file and the
question of every problem; the pages read the same files through `instruments()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import get_locale

from app.curriculum.sync import (
    CourseSpec,
    Problem,
    course_files,
    display_name,
    load_course_file,
    read_courses,
    register_companion_check,
)

KINDS = ("reaction", "trainer_report", "follow_up", "knowledge_test")
QUESTION_TYPES = ("likert", "single", "multiple", "text")
LIKERT = (1, 2, 3, 4, 5)
FORMS = ("A", "B")
MIN_FORM_ITEMS = 12
FOLDER = "evaluation"
ID_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
OBJECTIVE_RE = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/([1-9][0-9]*)$")
INSTRUMENT_KEYS = {
    "slug": True,
    "kind": True,
    "version": True,
    "title": True,
    "languages": True,
    "intro": False,
    "questions": False,
    "course": False,
    "mastery": False,
    "months_after": False,
    "observer_intro": False,
    "observer_questions": False,
    "supervisor_intro": False,
    "supervisor_questions": False,
    "items": False,
    "forms": False,
}
QUESTION_KEYS = {"id": True, "type": True, "text": True, "options": False, "required": False}
ITEM_KEYS = {"id": True, "objective": True, "text": True, "options": True, "answer": True}


@dataclass(frozen=True)
class Question:
    """A survey question; text and options map a language code to its wording."""

    id: str
    type: str
    text: dict[str, str]
    options: tuple[dict[str, str], ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Item:
    """A knowledge-test item: one right option, tagged to one learning objective."""

    id: str
    objective: str
    text: dict[str, str]
    options: tuple[dict[str, str], ...]
    answer: int  # index of the right option, from 0

    @property
    def module(self) -> str:
        """Return the slug of the module whose objective the item tests."""
        return self.objective.split("/")[0]


@dataclass(frozen=True)
class Instrument:
    """A validated instrument file."""

    file: str
    slug: str
    kind: str
    version: str
    title: dict[str, str]
    languages: tuple[str, ...]
    intro: dict[str, str] | None = None
    questions: tuple[Question, ...] = ()
    course: str | None = None
    mastery: float = 0.8
    months_after: int | None = None
    # A follow-up's questions to the participant's focal point, about the officers they sent.
    observer_intro: dict[str, str] | None = None
    observer_questions: tuple[Question, ...] = ()
    # Its questions to the participant's supervisor (on their record), about that one officer.
    supervisor_intro: dict[str, str] | None = None
    supervisor_questions: tuple[Question, ...] = ()
    items: tuple[Item, ...] = ()
    forms: dict[str, tuple[str, ...]] | None = None

    def asked_of(self, who: str) -> tuple[Question, ...]:
        """Return the questions put to a participant, a focal point or a supervisor."""
        return {
            "focal_point": self.observer_questions,
            "supervisor": self.supervisor_questions,
        }.get(who, self.questions)

    def form_items(self, form: str) -> list[Item]:
        """Return the items of form A or B, in the form's order."""
        by_id = {item.id: item for item in self.items}
        return [by_id[item_id] for item_id in (self.forms or {}).get(form, ())]


def localised(text: dict[str, str] | None, language: str | None = None) -> str:
    """Return the wording in the reader's language, or English when it has none."""
    if not text:
        return ""
    language = language or str(get_locale() or "en")
    return text.get(language) or text.get(language.split("_")[0]) or text["en"]


class _Check:
    """Collect the problems of one instrument file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def keys(self, data: dict, allowed: dict[str, bool], where: str) -> None:
        for key, required in allowed.items():
            if required and key not in data:
                self.add(f"{where}{key}", "is required")
        for key in data:
            if key not in allowed:
                self.add(f"{where}{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def ident(self, value: Any, where: str) -> str | None:
        if not isinstance(value, str) or not ID_RE.match(value):
            self.add(where, "must be a short id of lowercase letters, digits, - or _")
            return None
        return value

    def text(self, value: Any, where: str, languages: tuple[str, ...]) -> dict[str, str]:
        """Read plain English text, or a mapping of every listed language to its wording."""
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.add(where, "must be text, or a mapping of language codes to text")
            return {}
        result = {}
        for language in languages:
            wording = value.get(language)
            if not isinstance(wording, str) or not wording.strip():
                self.add(where, f"has no '{language}' wording (the file lists {language})")
            else:
                result[language] = " ".join(wording.split())
        for language in value:
            if language not in languages:
                self.add(where, f"'{language}' is not in the file's languages")
        return result


def validate_instrument(data: Any, file: str, courses: dict[str, CourseSpec]) -> Instrument:
    """Check one instrument's data; return it, or raise ValueError carrying its problems."""
    check = _Check(file)
    if not isinstance(data, dict):
        check.add("", "must be a YAML mapping (slug, kind, title, questions or items)")
        raise InstrumentError(check.problems)
    check.keys(data, INSTRUMENT_KEYS, "")
    slug = check.ident(data.get("slug"), "slug")
    kind = data.get("kind")
    if kind not in KINDS:
        check.add("kind", f"must be one of: {', '.join(KINDS)}")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        check.add("version", 'must be text in quotes, e.g. version: "1.0"')
    languages = data.get("languages")
    if not isinstance(languages, list) or "en" not in languages:
        check.add("languages", "must be a list of language codes that includes en")
        languages = ["en"]
    languages = tuple(str(language) for language in languages)
    title = check.text(data.get("title"), "title", languages)
    intro = check.text(data["intro"], "intro", languages) if "intro" in data else None
    fields: dict[str, Any] = {}
    if kind == "knowledge_test":
        fields = _knowledge_test(data, check, languages, courses)
    elif kind in KINDS:
        fields["questions"] = _questions(data.get("questions"), check, languages)
        if kind == "follow_up":
            months = data.get("months_after")
            if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 24:
                check.add("months_after", "must be a whole number of months from 1 to 24")
            fields["months_after"] = months
            for asked in ("observer", "supervisor"):
                if f"{asked}_questions" in data:
                    fields[f"{asked}_questions"] = _questions(
                        data[f"{asked}_questions"], check, languages, f"{asked}_questions"
                    )
                    fields[f"{asked}_intro"] = check.text(
                        data.get(f"{asked}_intro"), f"{asked}_intro", languages
                    )
    for key in ("observer_questions", "observer_intro", "supervisor_questions", "supervisor_intro"):
        if key in data and kind != "follow_up":
            check.add(key, "only a follow_up asks a focal point or a supervisor")
    if check.problems:
        raise InstrumentError(check.problems)
    return Instrument(
        file=file,
        slug=slug,
        kind=kind,
        version=version.strip(),
        title=title,
        languages=languages,
        intro=intro,
        **fields,
    )


class InstrumentError(Exception):
    """Raised with every problem found in one instrument file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _options(value: Any, where: str, check: _Check, languages: tuple[str, ...]) -> tuple:
    if not isinstance(value, list) or len(value) < 2:
        check.add(where, "must list at least two options")
        return ()
    return tuple(
        check.text(option, f"{where}[{index}]", languages) for index, option in enumerate(value)
    )


def _entries(value: Any, check: _Check, key: str, noun: str, shape: str, keys: Any):
    """Yield (where, mapping, id) for each entry of a list of mappings, each id used once."""
    if not isinstance(value, list) or not value:
        check.add(key, f"must be a non-empty list of {noun}")
        return
    seen = set()
    for index, data in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(data, dict):
            check.add(where, f"must be a mapping with {shape}")
            continue
        check.keys(data, keys, f"{where}.")
        entry_id = check.ident(data.get("id"), f"{where}.id")
        if entry_id in seen:
            check.add(f"{where}.id", f"'{entry_id}' is used twice")
        seen.add(entry_id)
        yield (f"{key}[{index}] ({entry_id})" if entry_id else where), data, entry_id


def _questions(
    value: Any, check: _Check, languages: tuple[str, ...], key: str = "questions"
) -> tuple[Question, ...]:
    questions = []
    shape = "id, type and text"
    for where, data, question_id in _entries(value, check, key, "questions", shape, QUESTION_KEYS):
        kind = data.get("type")
        if kind not in QUESTION_TYPES:
            check.add(f"{where}.type", f"must be one of: {', '.join(QUESTION_TYPES)}")
        options: tuple = ()
        if kind in ("single", "multiple"):
            options = _options(data.get("options"), f"{where}.options", check, languages)
        elif "options" in data:
            check.add(f"{where}.options", f"a {kind} question takes no options")
        required = data.get("required", kind != "text")
        if not isinstance(required, bool):
            check.add(f"{where}.required", "must be true or false")
        text = check.text(data.get("text"), f"{where}.text", languages)
        questions.append(Question(question_id, kind, text, options, bool(required)))
    return tuple(questions)


def _knowledge_test(
    data: dict, check: _Check, languages: tuple[str, ...], courses: dict[str, CourseSpec]
) -> dict[str, Any]:
    course = courses.get(data.get("course"))
    if course is None:
        check.add("course", f"must name a course file's slug ({', '.join(sorted(courses))})")
    mastery = data.get("mastery", 0.8)
    if isinstance(mastery, bool) or not isinstance(mastery, int | float) or not 0 < mastery <= 1:
        check.add("mastery", "must be a share between 0 and 1, e.g. 0.8")
    objectives = (
        {module.slug: len(module.objectives) for module in course.modules} if course else {}
    )
    items = _items(data.get("items"), check, languages, objectives)
    forms = _forms(data.get("forms"), check, {item.id: item for item in items})
    return {
        "course": data.get("course"),
        "mastery": float(mastery),
        "items": items,
        "forms": forms,
    }


def _items(
    value: Any, check: _Check, languages: tuple[str, ...], objectives: dict[str, int]
) -> tuple[Item, ...]:
    items = []
    shape = "id, objective, text, options and answer"
    for where, data, item_id in _entries(value, check, "items", "test items", shape, ITEM_KEYS):
        objective = data.get("objective")
        match = OBJECTIVE_RE.match(objective) if isinstance(objective, str) else None
        if match is None:
            check.add(f"{where}.objective", "must be module-slug/number, e.g. digital-evidence/3")
        elif objectives and match[1] not in objectives:
            check.add(f"{where}.objective", f"the course has no module '{match[1]}'")
        elif objectives and int(match[2]) > objectives[match[1]]:
            count = objectives[match[1]]
            check.add(f"{where}.objective", f"module '{match[1]}' has {count} objectives")
        options = _options(data.get("options"), f"{where}.options", check, languages)
        answer = data.get("answer")
        if (
            isinstance(answer, bool)
            or not isinstance(answer, int)
            or not 1 <= answer <= len(options)
        ):
            check.add(
                f"{where}.answer", f"must be the number of the right option (1 to {len(options)})"
            )
            answer = 1
        text = check.text(data.get("text"), f"{where}.text", languages)
        items.append(Item(item_id, str(objective), text, options, answer - 1))
    return tuple(items)


def _forms(value: Any, check: _Check, items: dict[str, Item]) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or sorted(value) != list(FORMS):
        check.add("forms", "must give two parallel forms, A and B, as lists of item ids")
        return {}
    forms: dict[str, tuple[str, ...]] = {}
    for name in FORMS:
        listed = value[name]
        if not isinstance(listed, list) or len(listed) < MIN_FORM_ITEMS:
            check.add(f"forms.{name}", f"must list at least {MIN_FORM_ITEMS} item ids")
            listed = listed if isinstance(listed, list) else []
        for item_id in listed:
            if item_id not in items:
                check.add(f"forms.{name}", f"'{item_id}' is not an item of this test")
        if len(set(listed)) != len(listed):
            check.add(f"forms.{name}", "lists an item twice")
        forms[name] = tuple(listed)
    shared = sorted(set(forms["A"]) & set(forms["B"]))
    if shared:
        check.add("forms", f"A and B must differ, but both ask {', '.join(shared)}")
    modules = {
        name: sorted(items[item_id].module for item_id in ids if item_id in items)
        for name, ids in forms.items()
    }
    if modules["A"] != modules["B"]:
        check.add("forms", "A and B are not parallel: each module needs as many items in both")
    return forms


def load_instruments(directory: Path, courses: list[CourseSpec]) -> list[Instrument]:
    """Read and validate courses/evaluation/*.yaml; raise InstrumentError listing all problems."""
    folder = directory / FOLDER
    if not folder.is_dir():
        return []
    by_slug = {course.slug: course for course in courses}
    problems: list[Problem] = []
    found: list[Instrument] = []
    for path in course_files(folder):
        data, load_problems = load_course_file(path)
        try:
            if load_problems:
                raise InstrumentError(load_problems)
            instrument = validate_instrument(data, display_name(path), by_slug)
        except InstrumentError as exc:
            problems.extend(exc.problems)
            continue
        if any(other.slug == instrument.slug for other in found):
            problems.append(Problem(instrument.file, "slug", f"'{instrument.slug}' is used twice"))
        found.append(instrument)
    if problems:
        raise InstrumentError(problems)
    return found


@register_companion_check
def check_instruments(directory: Path, courses: list[CourseSpec]) -> list[Problem]:
    """Return the problems of the instrument files (run by `flask courses sync`)."""
    try:
        load_instruments(Path(directory), courses)
    except InstrumentError as exc:
        return exc.problems
    return []


@lru_cache(maxsize=4)
def _cached(directory: str, stamp: tuple) -> dict[str, Instrument]:
    path = Path(directory)
    return {item.slug: item for item in load_instruments(path, read_courses(path))}


def instruments() -> dict[str, Instrument]:
    """Return the app's instruments by slug, read again whenever a file changes."""
    directory = Path(current_app.config["COURSES_DIR"])
    files = course_files(directory)
    if (directory / FOLDER).is_dir():
        files += course_files(directory / FOLDER)
    stamp = tuple((str(path), path.stat().st_mtime_ns) for path in files)
    return _cached(str(directory), stamp)


def of_kind(kind: str) -> list[Instrument]:
    """Return the instruments of one kind (reaction, follow_up, …), by slug."""
    return sorted((i for i in instruments().values() if i.kind == kind), key=lambda i: i.slug)


def knowledge_test_for(course_slug: str) -> Instrument | None:
    """Return the knowledge test written for a course, if any."""
    return next((i for i in of_kind("knowledge_test") if i.course == course_slug), None)
