"""The administrator's audit page and its CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import Field

from app.audit import bp, services
from app.audit.forms import AuditFilterForm
from app.extensions import db
from app.shared.models import utcnow
from app.shared.roles import RoleCode, role_required
from app.shared.spreadsheets import safe_row

PER_PAGE = 50
MAX_PAGE = 1_000_000  # keeps the offset inside the database's integer range


def _filter_form() -> tuple[AuditFilterForm, services.AuditFilters]:
    """Read the filters from the query string; a field that does not validate is ignored."""
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = [("", _("Any action"))] + [
        (code, code) for code in services.known_actions()
    ]
    form.validate()

    def clean(field: Field) -> Any:
        return None if field.errors else field.data

    filters = services.AuditFilters(
        person=(clean(form.person) or "").strip(),
        training_session=(clean(form.session) or "").strip(),
        action=clean(form.action) or "",
        date_from=clean(form.date_from),
        date_to=clean(form.date_to),
    )
    return form, filters


@bp.get("/admin/audit")
@role_required(RoleCode.ADMIN)
def entry_list():
    """List the trail newest first, filtered by person, session, action and dates."""
    form, filters = _filter_form()
    number = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    page = db.paginate(services.filtered(filters), page=number, per_page=PER_PAGE, error_out=False)
    sessions, participants = services.names_for(page.items)
    return render_template(
        "audit/entry_list.html",
        form=form,
        page=page,
        raw=request.args,
        sessions=sessions,
        participants=participants,
    )


@bp.get("/admin/audit.csv")
@role_required(RoleCode.ADMIN)
def entry_export():
    """Download the filtered trail as CSV; the export itself goes on the trail."""
    _form, filters = _filter_form()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(services.EXPORT_COLUMNS)
    count = 0
    for row in services.export_rows(filters):
        writer.writerow(safe_row(row))
        count += 1
    services.record("export.audit", actor=current_user, details={"rows": count})
    db.session.commit()
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )
