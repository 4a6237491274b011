"""A course's texts in one language, each field falling back to the course file's main language.

Course files may translate the title, summary, certificate title, module titles and objectives (see
courses/README.md); sync stores them in `Course.translations` and `CourseModule.translations`.
Every page, PDF and export that shows a course in a chosen language reads it through
`localised`, so a half-translated course shows what it has and the main language for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale

from app.curriculum.models import Course, CourseModule, CourseVersion


@dataclass(frozen=True)
class ModuleText:
    """One module's title and objectives as a reader in one language sees them."""

    slug: str
    title: str
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class CourseText:
    """A course version's title, summary and modules (in course order) in one language."""

    language: str | None
    title: str
    summary: str
    modules: tuple[ModuleText, ...]
    certificate_title: str | None = None  # None: the certificate's default wording

    def module(self, slug: str) -> ModuleText:
        """Return the module with this slug (KeyError if the version has none)."""
        for module in self.modules:
            if module.slug == slug:
                return module
        raise KeyError(slug)


def _translation(record: Course | CourseModule, lang: str | None) -> dict:
    return (record.translations or {}).get(lang or "", {}) if lang else {}


def localised_module(module: CourseModule, lang: str | None) -> ModuleText:
    """Return one module's title and objectives in `lang`, field by field, else as written."""
    words = _translation(module, lang)
    return ModuleText(
        slug=module.slug,
        title=words.get("title") or module.title,
        objectives=tuple(words.get("objectives") or module.objectives or ()),
    )


def localised(version: CourseVersion, lang: str | None) -> CourseText:
    """Return a version's texts in `lang` (a locale code such as 'fr'), each falling back alone.

    A language the course has no translation for (or None) gives the main language throughout.
    """
    course = version.course
    words = _translation(course, lang)
    return CourseText(
        language=lang,
        title=words.get("title") or course.title,
        summary=words.get("summary") or course.summary,
        modules=tuple(localised_module(module, lang) for module in version.modules),
        certificate_title=words.get("certificate_title") or (course.certificate or {}).get("title"),
    )


def localised_title(course: Course, lang: str | None) -> str:
    """Return a course's title in `lang`, else as written (no version needed)."""
    return _translation(course, lang).get("title") or course.title


def reader_language() -> str | None:
    """Return the language the current page speaks (the reader's), for catalogue pages."""
    locale = get_locale()
    return locale.language if locale is not None else None
