"""Pages for programme managers to load past trainings: upload, preview, confirm, progress.

A file of HISTORY_IMPORT_JOB_ROWS rows or more is imported by a worker: the confirm request
records the import, commits and sends the manager to its progress page.
"""

from __future__ import annotations

from pathlib import PurePath

from flask import (
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.history import bp, jobs, services
from app.history.forms import CheckedImportConfirmForm, HistoryConfirmForm, HistoryUploadForm
from app.history.models import HistoryImport, ImportState
from app.history.permissions import can_follow_import, can_import_history
from app.shared.imports import ImportChoices
from app.shared.loading import load_or_abort
from app.shared.roles import permission_required
from app.shared.unit_of_work import unit_of_work

# The Flask session remembers which kept upload belongs to this browser, so that nobody
# else can confirm it; the bytes themselves wait in the shared pending-upload store.
SESSION_KEY = "history_upload"
PENDING = jobs.PENDING


importer_required = permission_required(can_import_history)


def _scope() -> dict:
    return jobs.upload_scope(current_user.id)


def _forget_upload() -> None:
    kept = session.pop(SESSION_KEY, None)
    if kept:
        PENDING.discard(kept["token"])


def _preview(report=None, file_error: str | None = None, filename: str = "", confirm_form=None):
    status = 422 if file_error or (report is not None and not report.usable) else 200
    page = render_template(
        "history/import_preview.html",
        report=report,
        file_error=file_error,
        filename=filename,
        confirm_form=confirm_form,
        as_job=report is not None and jobs.runs_as_job(report.rows),
        upload_form=HistoryUploadForm(formdata=None),
    )
    return page, status


@bp.route("/history/import", methods=["GET", "POST"])
@importer_required
def import_upload():
    """Show the upload form; on upload, check the whole file and show what it would do."""
    form = HistoryUploadForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(
            "history/import_upload.html",
            form=form,
            columns=services.COLUMNS,
            courses=services.course_slugs(),
        ), status
    filename = PurePath(form.file.data.filename or "").name
    content = form.file.data.read()
    _forget_upload()  # a new upload replaces this browser's previous one
    if too_large := _too_large(filename, len(content)):
        return _preview(file_error=too_large, filename=filename)
    if jobs.checks_as_job(len(content)):
        return _check_as_job(filename, content)
    return _check_in_request(filename, content)


def _check_in_request(filename: str, content: bytes):
    """Check a small file now, keep it, and show what importing it would do."""
    try:
        report, token = PENDING.preview(
            filename,
            content,
            _scope(),
            services.import_history,
            ok=_keep_for_choice,
        )
    except services.HistoryImportError as exc:
        return _preview(file_error=str(exc), filename=filename)
    finally:
        db.session.rollback()  # the preview writes nothing
    if token is None:
        return _preview(report, filename=filename)
    # The signed session cookie carries the row count, so confirming need not read the file.
    session[SESSION_KEY] = {"token": token, "rows": report.rows}
    return _preview(report, filename=filename, confirm_form=HistoryConfirmForm(token=token))


def _keep_for_choice(report: services.ImportReport) -> bool:
    """Keep a file to import, or to leave rows out or read again (a file a worker writes: whole)."""
    if jobs.runs_as_job(report.rows):
        return report.ok and bool(report.created)
    return report.may_choose()


def _too_large(filename: str, size: int) -> str | None:
    """Return why a file is refused for its size, naming it, or None when it may be read."""
    limit = current_app.config["HISTORY_IMPORT_MAX_BYTES"]
    if size <= limit:
        return None
    return _(
        "%(name)s is %(size)s MB; a history import reads files up to %(max)s MB. Split it "
        "into smaller files.",
        name=filename,
        size=format_decimal(round(size / 1_000_000)),
        max=format_decimal(round(limit / 1_000_000)),
    )


def _check_as_job(filename: str, content: bytes):
    """Keep a large file, commit, and let a worker check it; its page follows the check."""
    with unit_of_work(show_error=False) as done:
        services.check_file(filename, content)
        record = jobs.start_check(filename, content, current_user)
    if not done.ok:
        return _preview(file_error=str(done.error), filename=filename)
    return redirect(url_for("history.import_progress", import_id=record.id))


@bp.errorhandler(413)
def _request_too_large(_error):
    """Say which limit a history upload passed (the body is refused before it is read)."""
    message = _(
        "The file is larger than the %(max)s MB a history import reads. Split it into smaller "
        "files.",
        max=format_decimal(round(current_app.config["HISTORY_IMPORT_MAX_BYTES"] / 1_000_000)),
    )
    page, _status = _preview(file_error=message)
    return page, 413


@bp.post("/history/import/confirm")
@importer_required
def import_confirm():
    """Import the checked file (all rows, or the good ones by choice), or read it again."""
    form = HistoryConfirmForm()
    kept = session.get(SESSION_KEY)
    if not form.validate_on_submit() or not kept or kept["token"] != form.token.data:
        flash(_("That upload is no longer waiting to be imported; upload the file again."), "error")
        return redirect(url_for("history.import_upload"))
    if jobs.runs_as_job(kept.get("rows", 0)):
        return _confirm_as_job(kept)
    apply = _import_as_user(ImportChoices.from_form(request.form))
    try:
        with unit_of_work() as done:
            filename, report = PENDING.confirm(kept["token"], _scope(), apply, used=_written)
    except IntegrityError:
        # Someone imported overlapping records between the preview and now.
        flash(_("The records changed while you were checking; upload the file again."), "error")
        return redirect(url_for("history.import_upload"))
    if not done.ok:
        return redirect(url_for("history.import_upload"))
    if not report.written:  # read again, or bad rows not left out: the file waits, as chosen
        return _preview_again(report, filename, kept["token"])
    session.pop(SESSION_KEY, None)  # the kept file goes with the commit
    flash(_imported(report, filename), "success")
    return redirect(url_for("history.import_upload"))


def _preview_again(report: services.ImportReport, filename: str, token: str):
    confirm_form = HistoryConfirmForm(token=token) if report.may_choose() else None
    return _preview(report, filename=filename, confirm_form=confirm_form)


def _written(report: services.ImportReport) -> bool:
    return report.written


def _imported(report: services.ImportReport, filename: str) -> str:
    """Say what an import wrote: its rows, then the sessions, people and enrolments created."""
    lines = [_("Imported %(rows)d rows from %(name)s.", rows=report.rows, name=filename)]
    if report.skipped_rows:
        lines.append(
            ngettext(
                "%(num)d row with problems was left out.",
                "%(num)d rows with problems were left out.",
                report.skipped_rows,
            )
        )
    return " ".join(lines + report.summary_lines())


def _import_as_user(choices: ImportChoices):
    """Return how to write a checked file for the signed-in manager, as chosen on the preview.

    Reading again only checks; a file now invalid, with its bad rows not left out, writes nothing.
    """

    def apply(filename: str, data: bytes) -> services.ImportReport:
        report = services.import_history(
            filename,
            data,
            write=not choices.reread,
            actor_id=current_user.id,
            encoding=choices.encoding,
            skip_bad_rows=choices.skip_bad_rows,
        )
        if report.written:
            services.record_import(report, current_user)
        return report

    return apply


def _confirm_as_job(kept: dict):
    """Record the import of the kept file, commit, and show its progress; a worker writes it."""
    try:
        filename, _data = PENDING.load(kept["token"], _scope())
    except services.HistoryImportError as exc:
        session.pop(SESSION_KEY, None)
        flash(str(exc), "error")
        return redirect(url_for("history.import_upload"))
    with unit_of_work():
        record = jobs.start_import(filename, kept["token"], kept["rows"], current_user)
    # The file now belongs to the import, which discards it when it is over.
    session.pop(SESSION_KEY, None)
    return redirect(url_for("history.import_progress", import_id=record.id))


def _progress_urls(record: HistoryImport) -> dict:
    return {
        "progress_url": url_for("history.import_progress_json", import_id=record.id),
        "result_url": url_for("scheduling.training_session_list", status="completed"),
    }


@bp.get("/history/imports/<int:import_id>")
@importer_required
def import_progress(import_id: int):
    """Show how far an import run by a worker has got, its errors by row, and its result."""
    record = load_or_abort(HistoryImport, import_id, can_follow_import)
    progress = jobs.progress(record)
    summary = services.ImportReport(filename=record.filename, **progress["summary"])
    return render_template(
        "history/import_progress.html",
        record=record,
        progress=progress,
        urls=_progress_urls(record),
        summary_lines=summary.summary_lines() if progress["summary"] else [],
        confirm_form=CheckedImportConfirmForm() if record.state == ImportState.CHECKED else None,
    )


@bp.post("/history/imports/<int:import_id>/confirm")
@importer_required
def import_checked_confirm(import_id: int):
    """Import a file a worker has checked: queue its writing and follow it on its page."""
    record = load_or_abort(HistoryImport, import_id, can_follow_import)
    form = CheckedImportConfirmForm()
    with unit_of_work() as done:
        if not form.validate_on_submit() or not jobs.confirm_checked(record):
            raise services.HistoryImportError(
                _("That import is no longer waiting for confirmation.")
            )
    del done  # a refusal is flashed; either way the page shows where the import is
    return redirect(url_for("history.import_progress", import_id=record.id))


@bp.get("/history/imports/<int:import_id>.json")
@importer_required
def import_progress_json(import_id: int):
    """Return an import's progress for the page's script to show without reloading."""
    record = load_or_abort(HistoryImport, import_id, can_follow_import)
    response = jsonify({**jobs.progress(record), **_progress_urls(record)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/history/import/template.csv")
@importer_required
def import_template():
    """Download a ready template: the columns and a row for each course that exists."""
    return Response(
        services.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=past-trainings-template.csv"},
    )
