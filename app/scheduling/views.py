"""HTTP views of the scheduling domain: session list, page, forms, agenda, status and feeds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from flask import (
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts.models import User, UserRole
from app.curriculum.models import Course
from app.extensions import db
from app.scheduling import bp, ical, services
from app.scheduling.forms import AgendaForm, AgendaRowForm, StatusForm, TrainingSessionForm
from app.scheduling.models import PartnerOrganisation, SessionStatus, TrainingSession
from app.scheduling.panels import render_panels
from app.scheduling.permissions import can_edit_session
from app.scheduling.services import AgendaRow, SchedulingError, SessionDetails
from app.scheduling.timezones import default_timezone, timezone_names
from app.shared.countries import country_choices
from app.shared.forms import choices
from app.shared.legal_traditions import tradition_choices, tradition_for_country, tradition_label
from app.shared.loading import load_or_abort
from app.shared.roles import RoleCode, role_required
from app.shared.unit_of_work import DomainError, unit_of_work

COMPLETE_ENDPOINT = "attendance.complete_session"
PER_PAGE = 50


def status_label(status: str) -> str:
    """Return the translated label of a status."""
    labels = {
        SessionStatus.DRAFT: _("Draft"),
        SessionStatus.OPEN: _("Open for enrolment"),
        SessionStatus.IN_PROGRESS: _("In progress"),
        SessionStatus.COMPLETED: _("Completed"),
        SessionStatus.CANCELLED: _("Cancelled"),
    }
    return labels.get(status, status)


@bp.app_context_processor
def _scheduling_helpers() -> dict:
    return {
        "session_status_label": status_label,
        "tradition_label": tradition_label,
        "language_name": language_name,
    }


# --- Helpers ---------------------------------------------------------------------------------


def language_name(code: str) -> str:
    """Return a language's English name ("fr" -> "French"), or the code if unknown."""
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _plain(value: Decimal | None) -> str:
    """Format hours without trailing zeros or exponents (8, 7.5)."""
    return "" if value is None else format(Decimal(value).normalize(), "f")


def _trainer_users(extra: list[User] = ()) -> list[User]:
    """Return active users who may teach (trainers and administrators), plus `extra`."""
    users = db.session.scalars(
        select(User)
        .where(
            User.active.is_(True),
            User.role_links.any(UserRole.role.in_([RoleCode.TRAINER, RoleCode.ADMIN])),
        )
        .order_by(User.name)
    ).all()
    known = {user.id for user in users}
    return list(users) + [user for user in extra if user.id not in known]


def _session_form(course: Course, training_session: TrainingSession | None = None):
    """Build the session form with choices from the course, the users and the partners."""
    form = TrainingSessionForm(obj=training_session)
    form.host_country.choices = choices([("", _("Choose a country"))] + country_choices())
    form.timezone.choices = choices(
        [("", _("Guess from the country"))] + [(name, name) for name in timezone_names()]
    )
    form.language.choices = choices(
        (code, language_name(code)) for code in (course.languages or ["en"])
    )
    form.legal_tradition.choices = choices(
        [("", _("The host country's tradition"))] + tradition_choices()
    )
    trainers = _trainer_users(training_session.trainers if training_session else [])
    form.trainers.choices = choices((user.id, user.name) for user in trainers)
    partners = db.session.scalars(
        select(PartnerOrganisation).order_by(PartnerOrganisation.name)
    ).all()
    form.partners.choices = choices((partner.id, partner.name) for partner in partners)
    if training_session is not None:
        del form.fill_agenda
    return form, {user.id: user for user in trainers}, {p.id: p for p in partners}


def _details_from(form, trainers: dict[int, User], partners: dict[int, PartnerOrganisation]):
    return SessionDetails(
        host_country=form.host_country.data or "",
        city=form.city.data or "",
        venue=form.venue.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        timezone=form.timezone.data or None,
        language=form.language.data,
        capacity=form.capacity.data,
        country_quota=form.country_quota.data,
        enrolment_deadline=form.enrolment_deadline.data,
        legal_tradition=form.legal_tradition.data or None,
        notes=form.notes.data or "",
        trainers=[trainers[user_id] for user_id in form.trainers.data or [] if user_id in trainers],
        partners=[partners[pid] for pid in form.partners.data or [] if pid in partners],
        new_partner_names=form.new_partners.data or "",
    )


def _fields_by_name(form) -> dict:
    """Map every field's HTML name, nested rows included, to the field."""
    found = {}
    for field in form:
        found[field.name] = field
        if hasattr(field, "entries"):
            for entry in field.entries:
                found.update(_fields_by_name(entry.form))
    return found


def _attach_errors(form, exc: DomainError) -> list[str]:
    """Put each message next to its field; return those that belong to no field."""
    if not isinstance(exc, SchedulingError):  # another domain's rule: one general message
        return [str(exc)]
    fields = _fields_by_name(form)
    general = []
    for name, messages in exc.errors.items():
        field = fields.get(name)
        if field is None:
            general.extend(messages)
        else:
            field.errors = [*field.errors, *messages]
    return general


def _form_overlaps(course_id: int, form, exclude_id: int | None = None) -> list[TrainingSession]:
    start, end = form.start_date.data, form.end_date.data
    if not (form.host_country.data and start and end and end >= start):
        return []
    return services.find_overlaps(course_id, form.host_country.data, start, end, exclude_id)


def _flash_overlaps(training_session: TrainingSession) -> None:
    for other in services.overlaps_for(training_session):
        flash(
            _(
                "Planned close to another session of this course in the same country: %(detail)s",
                detail=services.overlap_message(other),
            ),
            "warning",
        )


def _render_session_form(form, course, training_session, general_errors):
    overlaps = []
    if request.method == "POST":
        overlaps = _form_overlaps(
            course.id, form, training_session.id if training_session else None
        )
    elif training_session is not None:
        overlaps = services.overlaps_for(training_session)
    return render_template(
        "scheduling/training_session_form.html",
        form=form,
        course=course,
        training_session=training_session,
        overlaps=overlaps,
        general_errors=general_errors,
        overlap_message=services.overlap_message,
        country_traditions={
            code: tradition_label(tradition_for_country(code)) for code, _name in country_choices()
        },
        country_zones={code: default_timezone(code) for code, _name in country_choices()},
    )


# --- List and page ---------------------------------------------------------------------------


@bp.get("/training-sessions")
@role_required(RoleCode.TRAINER, RoleCode.MANAGER)
def training_session_list():
    """List sessions with filters on course, country, status and dates."""
    args = request.args
    filters = {
        "course": args.get("course", type=int),
        "country": (args.get("country") or "").upper() or None,
        "status": args.get("status") or None,
        "date_from": _parse_date(args.get("from")),
        "date_to": _parse_date(args.get("to")),
    }
    statement = select(TrainingSession).order_by(
        TrainingSession.start_date.desc(), TrainingSession.code
    )
    if filters["course"]:
        statement = statement.where(TrainingSession.course_id == filters["course"])
    if filters["country"]:
        statement = statement.where(TrainingSession.host_country == filters["country"])
    if filters["status"]:
        statement = statement.where(TrainingSession.status == filters["status"])
    if filters["date_from"]:
        statement = statement.where(TrainingSession.end_date >= filters["date_from"])
    if filters["date_to"]:
        statement = statement.where(TrainingSession.start_date <= filters["date_to"])
    page = db.paginate(
        statement, page=args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False
    )
    courses = db.session.scalars(select(Course).order_by(Course.title)).all()
    return render_template(
        "scheduling/training_session_list.html",
        page=page,
        filters=filters,
        raw=args,
        courses=courses,
        countries=country_choices(),
        statuses=[(status.value, status_label(status)) for status in SessionStatus],
    )


@bp.get("/training-sessions/<int:training_session_id>")
@role_required(RoleCode.TRAINER, RoleCode.MANAGER)
def training_session_detail(training_session_id: int):
    """Show a session's facts, team, agenda, overlaps, tradition flags and domain panels."""
    training_session = load_or_abort(TrainingSession, training_session_id)
    return render_template(
        "scheduling/training_session_detail.html",
        ts=training_session,
        agenda=services.agenda_by_day(training_session),
        flags=services.tradition_flags(training_session),
        missing_modules=services.modules_not_on_agenda(training_session),
        overlaps=services.overlaps_for(training_session),
        overlap_message=services.overlap_message,
        panels=render_panels(training_session),
        transitions=services.allowed_transitions(training_session.status),
        complete_endpoint=COMPLETE_ENDPOINT
        if COMPLETE_ENDPOINT in current_app.view_functions
        else None,
        status_form=StatusForm(),
        default_tradition=tradition_for_country(training_session.host_country),
    )


# --- Creating and editing --------------------------------------------------------------------


@bp.route("/training-sessions/new", methods=["GET", "POST"])
@role_required(RoleCode.TRAINER)
def training_session_create():
    """Pick a course, then plan a session of it; the agenda editor follows."""
    course = db.session.get(Course, request.args.get("course_id", 0, type=int))
    if course is None:
        courses = db.session.scalars(
            select(Course).where(Course.retired.is_(False)).order_by(Course.title)
        ).all()
        return render_template("scheduling/course_pick.html", courses=courses)
    form, trainers, partners = _session_form(course)
    if request.method == "GET":
        form.trainers.data = [current_user.id] if current_user.id in trainers else []
        form.language.data = (course.languages or ["en"])[0]
    general: list[str] = []
    if form.validate_on_submit():
        with unit_of_work(show_error=False) as done:
            training_session = services.create_training_session(
                course, _details_from(form, trainers, partners), current_user
            )
            if form.fill_agenda.data:
                services.set_agenda(training_session, services.suggest_agenda(training_session))
        if not done.ok:
            general = _attach_errors(form, done.error)
        else:
            flash(_("Session %(code)s planned as a draft.", code=training_session.code), "success")
            _flash_overlaps(training_session)
            target = (
                "scheduling.agenda_edit"
                if form.fill_agenda.data
                else ("scheduling.training_session_detail")
            )
            return redirect(url_for(target, training_session_id=training_session.id))
    return _render_session_form(form, course, None, general)


@bp.route("/training-sessions/<int:training_session_id>/edit", methods=["GET", "POST"])
@login_required
def training_session_edit(training_session_id: int):
    """Change a session's place, dates, team and rules (its trainers and administrators)."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_edit_session)
    form, trainers, partners = _session_form(training_session.course, training_session)
    if request.method == "GET":
        form.trainers.data = [user.id for user in training_session.trainers]
        form.partners.data = [partner.id for partner in training_session.partners]
        if training_session.legal_tradition == tradition_for_country(training_session.host_country):
            form.legal_tradition.data = ""
        if training_session.timezone == default_timezone(training_session.host_country):
            form.timezone.data = ""
    general: list[str] = []
    if form.validate_on_submit():
        with unit_of_work(show_error=False) as done:
            services.update_training_session(
                training_session, _details_from(form, trainers, partners), current_user
            )
        if not done.ok:
            general = _attach_errors(form, done.error)
        else:
            flash(_("Session %(code)s saved.", code=training_session.code), "success")
            _flash_overlaps(training_session)
            return redirect(
                url_for(
                    "scheduling.training_session_detail", training_session_id=training_session.id
                )
            )
    return _render_session_form(form, training_session.course, training_session, general)


# --- Agenda ----------------------------------------------------------------------------------


def _set_row_choices(row_form, day_choices, module_choices) -> None:
    row_form.day.choices = day_choices
    row_form.course_module_id.choices = module_choices


@bp.route("/training-sessions/<int:training_session_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda_edit(training_session_id: int):
    """Place the course's modules on the session's days, with hours (phone friendly)."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_edit_session)
    form = AgendaForm()
    if request.method == "GET":
        if request.args.get("suggest"):
            rows = services.suggest_agenda(training_session)
        else:
            rows = [
                AgendaRow(item.day, item.course_module_id, item.hours)
                for item in training_session.agenda_items
            ]
        for row in rows:
            form.agenda.append_entry(
                {
                    "day": row.day.isoformat(),
                    "course_module_id": row.course_module_id,
                    "hours": Decimal(_plain(row.hours)),
                }
            )
        form.agenda.append_entry({"day": training_session.start_date.isoformat()})
    day_choices = choices(
        (
            day.isoformat(),
            _("Day %(number)s · %(date)s", number=number, date=format_date(day, "EEE d MMM")),
        )
        for number, day in enumerate(training_session.days, start=1)
    )
    modules = training_session.course_version.modules
    module_choices = choices(
        [("", _("— no module —"))]
        + [(str(module.id), f"{module.title} ({_plain(module.hours)} h)") for module in modules]
    )
    for entry in form.agenda:
        _set_row_choices(entry.form, day_choices, module_choices)
    general: list[str] = []
    if form.validate_on_submit():
        rows = [
            AgendaRow(
                _parse_date(entry.form.day.data),
                entry.form.course_module_id.data,
                entry.form.hours.data,
            )
            for entry in form.agenda
        ]
        with unit_of_work(show_error=False) as done:
            services.set_agenda(training_session, rows)
        if not done.ok:
            general = _attach_errors(form, done.error)
        else:
            flash(_("Agenda of %(code)s saved.", code=training_session.code), "success")
            return redirect(
                url_for(
                    "scheduling.training_session_detail", training_session_id=training_session.id
                )
            )
    blank = AgendaRowForm(prefix="agenda-__index__-")
    _set_row_choices(blank, day_choices, module_choices)
    module_flags = {
        module.id: services.module_tradition_flag(module, training_session.legal_tradition)
        for module in modules
    }
    used = {entry.form.course_module_id.data for entry in form.agenda}
    return render_template(
        "scheduling/agenda_form.html",
        missing_modules=[
            module
            for module in modules
            if module.id not in used and module.applies_to(training_session.legal_tradition)
        ],
        form=form,
        blank=blank,
        ts=training_session,
        general_errors=general,
        module_flags=module_flags,
        module_hours={module.id: _plain(module.hours) for module in modules},
        hours_per_day=_plain(services.HOURS_PER_DAY),
    )


# --- Status ----------------------------------------------------------------------------------


@bp.post("/training-sessions/<int:training_session_id>/status")
@login_required
def training_session_status(training_session_id: int):
    """Publish, start, complete or cancel a session (with a reason)."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_edit_session)
    form = StatusForm()
    back = url_for("scheduling.training_session_detail", training_session_id=training_session.id)
    if not form.validate_on_submit():
        flash(_("Choose what should happen to the session."), "error")
        return redirect(back)
    new_status = form.new_status.data
    if new_status == SessionStatus.COMPLETED and COMPLETE_ENDPOINT in current_app.view_functions:
        flash(
            _("Complete the session from its attendance page, which decides who completed."),
            "warning",
        )
        return redirect(url_for(COMPLETE_ENDPOINT, training_session_id=training_session.id))
    with unit_of_work() as done:
        services.change_status(training_session, new_status, current_user, form.reason.data)
    if done.ok:
        flash(
            _(
                "%(code)s is now: %(status)s.",
                code=training_session.code,
                status=status_label(new_status),
            ),
            "success",
        )
    return redirect(back)


# --- Live checks and feeds -------------------------------------------------------------------


@bp.get("/training-sessions/overlaps")
@role_required(RoleCode.TRAINER)
def overlap_check():
    """Return, as JSON, the sessions a planned one would come within 30 days of."""
    course_id = request.args.get("course_id", type=int)
    country = (request.args.get("host_country") or "").upper()
    start = _parse_date(request.args.get("start_date"))
    end = _parse_date(request.args.get("end_date")) or start
    if not (course_id and country and start and end and end >= start):
        return jsonify(overlaps=[])
    found = services.find_overlaps(
        course_id, country, start, end, request.args.get("exclude", type=int)
    )
    return jsonify(
        overlaps=[
            {
                "code": other.code,
                "start_date": other.start_date.isoformat(),
                "end_date": other.end_date.isoformat(),
                "city": other.city,
                "message": services.overlap_message(other, with_code=False),
                "url": url_for("scheduling.training_session_detail", training_session_id=other.id),
            }
            for other in found
        ]
    )


def _calendar_response(name: str, sessions: list[TrainingSession], filename: str) -> Response:
    def session_url(training_session: TrainingSession) -> str:
        return url_for(
            "scheduling.training_session_detail",
            training_session_id=training_session.id,
            _external=True,
        )

    body = ical.calendar(name, sessions, session_url)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/training-sessions/open.ics")
@login_required
def ical_open_sessions():
    """Serve every session open for enrolment as an iCalendar feed."""
    sessions = db.session.scalars(
        select(TrainingSession)
        .where(TrainingSession.status == SessionStatus.OPEN)
        .order_by(TrainingSession.start_date)
    ).all()
    return _calendar_response(_("Open training sessions"), list(sessions), "open-sessions.ics")


@bp.get("/training-sessions/mine.ics")
@role_required(RoleCode.TRAINER)
def ical_my_sessions():
    """Serve the signed-in trainer's own sessions (cancelled ones marked so) as a feed."""
    sessions = db.session.scalars(
        select(TrainingSession)
        .where(TrainingSession.trainers.any(User.id == current_user.id))
        .order_by(TrainingSession.start_date)
    ).all()
    return _calendar_response(_("My training sessions"), list(sessions), "my-sessions.ics")
