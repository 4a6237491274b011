"""HTTP views of the scheduling domain: session list, page, forms, agenda, status and feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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

from app.accounts.models import User
from app.accounts.permissions import is_staff
from app.curriculum import services as curriculum
from app.curriculum.models import Course
from app.scheduling import bp, ical, listing, queries, services
from app.scheduling.forms import (
    ROW_ACTION,
    AgendaForm,
    AgendaRowForm,
    DuplicateForm,
    StatusForm,
    TrainingSessionForm,
    module_choices,
    rearranged,
)
from app.scheduling.labels import action_label, status_label
from app.scheduling.models import PartnerOrganisation, SessionStatus, TrainingSession
from app.scheduling.panels import completion_page, render_panels, session_shortcuts
from app.scheduling.permissions import can_edit_session, can_schedule
from app.scheduling.queries import SessionFilters
from app.scheduling.services import AgendaRow, SchedulingError, SessionDetails
from app.scheduling.timezones import default_timezone, timezone_names
from app.shared.countries import country_choices
from app.shared.formatting import select_options
from app.shared.forms import choices
from app.shared.i18n import language_name
from app.shared.legal_traditions import tradition_choices, tradition_for_country, tradition_label
from app.shared.loading import load_or_abort
from app.shared.roles import RoleCode, permission_required, role_required
from app.shared.unit_of_work import DomainError, unit_of_work

OWN_SESSION_ENDPOINT = "home.own_session"  # a participant's view of a session of theirs


def _staff_may_view(user: User, _training_session: TrainingSession) -> bool:
    return is_staff(user)


# A session's status reads the same on every page, other domains' included.
bp.add_app_template_filter(status_label, "session_status_label")
bp.add_app_template_global(select_options, "select_options")


# --- Helpers ---------------------------------------------------------------------------------


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _plain(value: Decimal | None) -> str:
    """Format hours without trailing zeros or exponents (8, 7.5)."""
    return "" if value is None else format(Decimal(value).normalize(), "f")


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
    trainers = queries.trainer_candidates(training_session.trainers if training_session else [])
    form.trainers.choices = choices((user.id, user.name) for user in trainers)
    partners = queries.partner_organisations()
    form.partners.choices = choices((partner.id, partner.name) for partner in partners)
    if request.method == "GET":
        _prefill(form, course, training_session, trainers)
    if training_session is not None:
        del form.fill_agenda
    return form, {user.id: user for user in trainers}, {p.id: p for p in partners}


def _prefill(
    form, course: Course, training_session: TrainingSession | None, trainers: list[User]
) -> None:
    """Start a new session with its planner as trainer; leave an edited session's defaults blank.

    A blank tradition or time zone means "the host country's", so a session that follows its
    country keeps following it when the country changes.
    """
    if training_session is None:
        form.trainers.data = [user.id for user in trainers if user.id == current_user.id]
        form.language.data = (course.languages or ["en"])[0]
        return
    form.trainers.data = [user.id for user in training_session.trainers]
    form.partners.data = [partner.id for partner in training_session.partners]
    if training_session.legal_tradition == tradition_for_country(training_session.host_country):
        form.legal_tradition.data = ""
    if training_session.timezone == default_timezone(training_session.host_country):
        form.timezone.data = ""


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


def _form_trainer_clashes(form, trainers: dict[int, User], exclude_id: int | None = None):
    start, end = form.start_date.data, form.end_date.data
    if not (start and end and end >= start):
        return []
    chosen = [trainers[user_id] for user_id in form.trainers.data or [] if user_id in trainers]
    return services.find_trainer_clashes(chosen, start, end, exclude_id)


def _flash_overlaps(training_session: TrainingSession) -> None:
    for other in services.overlaps_for(training_session):
        flash(
            _(
                "Planned close to another session of this course in the same country: %(detail)s",
                detail=services.overlap_message(other),
            ),
            "warning",
        )
    for clash in services.trainer_clashes_for(training_session):
        flash(services.trainer_clash_message(clash), "warning")


def _render_session_form(form, course, training_session, general_errors, trainers):
    overlaps, clashes = [], []
    if request.method == "POST":
        exclude = training_session.id if training_session else None
        overlaps = _form_overlaps(course.id, form, exclude)
        clashes = _form_trainer_clashes(form, trainers, exclude)
    elif training_session is not None:
        overlaps = services.overlaps_for(training_session)
        clashes = services.trainer_clashes_for(training_session)
    return render_template(
        "scheduling/training_session_form.html",
        trainer_clashes=clashes,
        trainer_clash_message=services.trainer_clash_message,
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


def _filters_from(args) -> SessionFilters:
    return SessionFilters(
        course=args.get("course", type=int),
        country=(args.get("country") or "").upper() or None,
        status=args.get("status") or None,
        date_from=_parse_date(args.get("from")),
        date_to=_parse_date(args.get("to")),
        sort=args.get("sort") if args.get("sort") in queries.SORT_KEYS else None,
        descending=args.get("order") == "desc",
    )


@bp.get("/training-sessions")
@permission_required(is_staff)
def training_session_list():
    """List sessions with filters on course, country, status and dates."""
    filters, courses = _filters_from(request.args), curriculum.all_courses()
    number = request.args.get("page", 1, type=int)
    page = queries.session_page(filters, page=number, courses=courses)
    return render_template(
        "scheduling/training_session_list.html",
        page=page,
        columns=listing.COLUMNS,
        cells=listing.session_cells(page.items),
        sort_links=listing.sort_links(request.args, filters),
        kept_args=listing.kept_filters(request.args),
        filters=filters,
        raw=request.args,
        courses=[(course.id, course.title) for course in courses],
        countries=country_choices(),
        statuses=[(status.value, status_label(status)) for status in SessionStatus],
    )


@bp.get("/training-sessions/<int:training_session_id>")
@login_required
def training_session_detail(training_session_id: int):
    """Show a session's facts, team, agenda, overlaps, tradition flags and domain panels."""
    if not is_staff(current_user) and OWN_SESSION_ENDPOINT in current_app.view_functions:
        # A participant follows a link to their session: their own page says whether they may.
        return redirect(url_for(OWN_SESSION_ENDPOINT, training_session_id=training_session_id))
    training_session = load_or_abort(TrainingSession, training_session_id, _staff_may_view)
    return render_template(
        "scheduling/training_session_detail.html",
        ts=training_session,
        agenda=services.agenda_by_day(training_session),
        flags=services.tradition_flags(training_session),
        missing_modules=services.modules_not_on_agenda(training_session),
        overlaps=services.overlaps_for(training_session),
        overlap_message=services.overlap_message,
        trainer_clashes=services.trainer_clashes_for(training_session),
        trainer_clash_message=services.trainer_clash_message,
        shortcuts=session_shortcuts(training_session),
        panels=render_panels(training_session),
        status_actions=_status_actions(training_session),
        cancel_status=SessionStatus.CANCELLED if services.can_cancel(training_session) else None,
        default_tradition=tradition_for_country(training_session.host_country),
    )


@dataclass(frozen=True)
class StatusAction:
    """A button on the session page that moves it on; `url` opens a page instead of posting."""

    status: str
    label: str
    secondary: bool = False
    url: str | None = None


def _status_actions(training_session: TrainingSession) -> list[StatusAction]:
    """Return the session's next steps; completing goes through its completion page if any."""
    actions = []
    completion = completion_page(training_session)
    for status in services.next_steps(training_session):
        if status == SessionStatus.COMPLETED and completion:
            label = _("Complete the session (attendance)")
            actions.append(StatusAction(status, label, url=completion))
        else:
            secondary = status == SessionStatus.DRAFT
            actions.append(StatusAction(status, action_label(status), secondary))
    return actions


# --- Creating and editing --------------------------------------------------------------------


@bp.route("/training-sessions/new", methods=["GET", "POST"])
@permission_required(can_schedule)
def training_session_create():
    """Pick a course, then plan a session of it; the agenda editor follows."""
    course = curriculum.find_course(request.args.get("course_id", type=int))
    if course is None:
        return render_template("scheduling/course_pick.html", courses=curriculum.catalogue())
    form, trainers, partners = _session_form(course)
    general: list[str] = []
    if form.validate_on_submit():
        fill_agenda, details = form.fill_agenda.data, _details_from(form, trainers, partners)
        with unit_of_work(show_error=False) as done:
            ts = services.plan_training_session(course, details, current_user, fill_agenda)
        if done.ok:
            flash(_("Session %(code)s planned as a draft.", code=ts.code), "success")
            _flash_overlaps(ts)
            target = "agenda_edit" if fill_agenda else "training_session_detail"
            return redirect(url_for(f"scheduling.{target}", training_session_id=ts.id))
        general = _attach_errors(form, done.error)
    return _render_session_form(form, course, None, general, trainers)


@bp.route("/training-sessions/<int:training_session_id>/edit", methods=["GET", "POST"])
@login_required
def training_session_edit(training_session_id: int):
    """Change a session's place, dates, team and rules (its trainers and administrators)."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_edit_session)
    form, trainers, partners = _session_form(training_session.course, training_session)
    general: list[str] = []
    if form.validate_on_submit():
        details = _details_from(form, trainers, partners)
        with unit_of_work(show_error=False) as done:
            services.update_training_session(training_session, details, current_user)
        if done.ok:
            flash(_("Session %(code)s saved.", code=training_session.code), "success")
            _flash_overlaps(training_session)
            return redirect(_detail_url(training_session))
        general = _attach_errors(form, done.error)
    return _render_session_form(form, training_session.course, training_session, general, trainers)


@bp.route("/training-sessions/<int:training_session_id>/duplicate", methods=["GET", "POST"])
@login_required
def training_session_duplicate(training_session_id: int):
    """Plan a copy of a session on new dates (same course, place, team, partners, agenda)."""
    source = load_or_abort(TrainingSession, training_session_id, can_edit_session)
    form = DuplicateForm()
    general: list[str] = []
    if form.validate_on_submit():
        with unit_of_work(show_error=False) as done:
            copy = services.duplicate_training_session(source, form.start_date.data, current_user)
        if done.ok:
            flash(
                _(
                    "Session %(code)s planned as a copy of %(source)s.",
                    code=copy.code,
                    source=source.code,
                ),
                "success",
            )
            _flash_overlaps(copy)
            return redirect(_detail_url(copy))
        general = _attach_errors(form, done.error)
    return render_template(
        "scheduling/duplicate.html", form=form, ts=source, general_errors=general
    )


def _detail_url(training_session: TrainingSession) -> str:
    return url_for("scheduling.training_session_detail", training_session_id=training_session.id)


# --- Agenda ----------------------------------------------------------------------------------


def _agenda_form(training_session: TrainingSession) -> tuple[AgendaForm, AgendaRowForm]:
    """Build the agenda form (saved or suggested rows plus one blank line on GET) and a blank row.

    Every row, and the blank one the page's script copies, chooses among the session's days
    and its course version's modules.
    """
    form = AgendaForm()
    if request.method == "GET":
        suggest = bool(request.args.get("suggest"))
        for row in services.agenda_rows(training_session, suggest=suggest):
            day, hours = row.day.isoformat(), Decimal(_plain(row.hours))
            form.agenda.append_entry(
                {"day": day, "course_module_id": row.course_module_id, "hours": hours}
            )
        form.agenda.append_entry({"day": training_session.start_date.isoformat()})
    elif ROW_ACTION in request.form:  # a line's button without JavaScript: show, do not save
        rows = [entry.form.data for entry in form.agenda]
        first_day = training_session.start_date.isoformat()
        form = AgendaForm(formdata=None)
        for row in rearranged(rows, request.form[ROW_ACTION], first_day):
            form.agenda.append_entry(row)
    blank = AgendaRowForm(prefix="agenda-__index__-")
    day_choices, modules = _day_choices(training_session), module_choices(training_session)
    for row_form in [entry.form for entry in form.agenda] + [blank]:
        row_form.day.choices = day_choices
        row_form.course_module_id.choices = modules
    return form, blank


def _day_choices(training_session: TrainingSession) -> list:
    return choices(
        (
            day.isoformat(),
            _("Day %(number)s · %(date)s", number=number, date=format_date(day, "EEE d MMM")),
        )
        for number, day in enumerate(training_session.days, start=1)
    )


def _agenda_rows_from(form: AgendaForm) -> list[AgendaRow]:
    return [
        AgendaRow(
            _parse_date(entry.form.day.data),
            entry.form.course_module_id.data,
            entry.form.hours.data,
        )
        for entry in form.agenda
    ]


@bp.route("/training-sessions/<int:training_session_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda_edit(training_session_id: int):
    """Place the course's modules on the session's days, with hours (phone friendly)."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_edit_session)
    form, blank = _agenda_form(training_session)
    general: list[str] = []
    if ROW_ACTION not in request.form and form.validate_on_submit():
        with unit_of_work(show_error=False) as done:
            services.set_agenda(training_session, _agenda_rows_from(form))
        if done.ok:
            flash(_("Agenda of %(code)s saved.", code=training_session.code), "success")
            return redirect(_detail_url(training_session))
        general = _attach_errors(form, done.error)
    return _render_agenda(form, blank, training_session, general)


def _render_agenda(form, blank, training_session: TrainingSession, general_errors: list[str]):
    placed = (entry.form.course_module_id.data for entry in form.agenda)
    modules = training_session.course_version.modules
    return render_template(
        "scheduling/agenda_form.html",
        missing_modules=services.modules_not_on_agenda(training_session, placed),
        form=form,
        blank=blank,
        ts=training_session,
        general_errors=general_errors,
        module_flags=services.module_flags(training_session),
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
    if not form.validate_on_submit():
        flash(_("Choose what should happen to the session."), "error")
        return redirect(_detail_url(training_session))
    new_status = form.new_status.data
    completion = completion_page(training_session)
    if new_status == SessionStatus.COMPLETED and completion:
        flash(
            _("Complete the session from its attendance page, which decides who completed."),
            "warning",
        )
        return redirect(completion)
    with unit_of_work() as done:
        services.change_status(training_session, new_status, current_user, form.reason.data)
    if done.ok:
        status = status_label(new_status)
        flash(
            _("%(code)s is now: %(status)s.", code=training_session.code, status=status), "success"
        )
    return redirect(_detail_url(training_session))


# --- Live checks and feeds -------------------------------------------------------------------


@bp.get("/training-sessions/overlaps")
@permission_required(can_schedule)
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
    return jsonify(overlaps=[_overlap_json(other) for other in found])


def _overlap_json(other: TrainingSession) -> dict:
    return {
        "code": other.code,
        "start_date": other.start_date.isoformat(),
        "end_date": other.end_date.isoformat(),
        "city": other.city,
        "message": services.overlap_message(other, with_code=False),
        "url": _detail_url(other),
    }


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
    sessions = queries.open_sessions()
    return _calendar_response(_("Open training sessions"), sessions, "open-sessions.ics")


@bp.get("/training-sessions/mine.ics")
@role_required(RoleCode.TRAINER)
def ical_my_sessions():
    """Serve the signed-in trainer's own sessions (cancelled ones marked so) as a feed."""
    sessions = queries.sessions_taught_by(current_user)
    return _calendar_response(_("My training sessions"), sessions, "my-sessions.ics")
