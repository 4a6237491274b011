"""The course catalogue: every signed-in user may read it; sync is the only writer."""

from flask import render_template, request
from flask_login import login_required

from app.curriculum import bp, services
from app.curriculum.labels import AUDIENCE_LABELS, audience_label
from app.curriculum.models import Course, CourseModule, CourseVersion
from app.curriculum.text import (
    CourseText,
    localised,
    localised_module,
    localised_title,
    reader_language,
)
from app.shared.i18n import language_name
from app.shared.legal_traditions import tradition_label
from app.shared.loading import load_or_abort

# Filters for every template, registered once here, so every page names these codes alike.
bp.add_app_template_filter(audience_label, "audience_label")
bp.add_app_template_filter(tradition_label, "tradition_label")
bp.add_app_template_filter(language_name, "language_name")


@bp.app_template_global()
def course_text(version: CourseVersion, lang: str | None = None) -> CourseText:
    """Give templates a version's texts in `lang` (a session's language), else the reader's."""
    return localised(version, lang or reader_language())


@bp.app_template_filter()
def course_title(course: Course, lang: str | None = None) -> str:
    """Give templates a course's title in `lang` (a session's language), else the reader's."""
    return localised_title(course, lang or reader_language())


@bp.app_template_filter()
def module_title(module: CourseModule, lang: str | None = None) -> str:
    """Give templates a module's title in `lang` (a session's language), else the reader's."""
    return localised_module(module, lang or reader_language()).title


@bp.get("/courses")
@login_required
def course_list():
    """List the courses on offer, optionally for one audience."""
    audience = request.args.get("audience")
    if audience not in AUDIENCE_LABELS:
        audience = None
    return render_template(
        "curriculum/course_list.html",
        courses=services.catalogue(audience),
        audience=audience,
        audiences=AUDIENCE_LABELS,
    )


@bp.get("/courses/<slug>")
@login_required
def course_detail(slug: str):
    """Show a course's current version module by module, and its older versions."""
    course = load_or_abort(Course, slug, by=Course.slug)
    version = course.current_version
    return render_template(
        "curriculum/course_detail.html",
        course=course,
        version=version,
        older_versions=list(reversed(course.versions[:-1])),
        tradition_hours=services.hours_by_tradition(version) if version else {},
    )
