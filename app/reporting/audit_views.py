"""The administrator's audit page and its CSV export, served from the top layer.

The blueprint keeps the name "audit", so the page's endpoints (audit.entry_list,
audit.entry_export) and its URL stay what they were when app.audit served it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import Field

from app.audit import services as audit
from app.reporting import audit_listing, audit_log
from app.reporting.forms import AuditFilterForm
from app.shared.clock import now
from app.shared.downloads import private_file
from app.shared.roles import RoleCode, role_required
from app.shared.urls import kept_query

bp = Blueprint("audit", __name__)


def _filter_form() -> tuple[AuditFilterForm, audit_log.AuditFilters]:
    """Read the filters from the query string; a field that does not validate is ignored."""
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = [("", _("Any action"))] + [
        (code, code) for code in audit_log.known_actions()
    ]
    form.validate()

    def clean(field: Field) -> Any:
        return None if field.errors else field.data

    filters = audit_log.AuditFilters(
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
    page = audit_log.page_of(filters, request.args.get("page", 1, type=int))
    return render_template(
        "audit/entry_list.html",
        form=form,
        page=page,
        args=kept_query(request.args, form.data),
        columns=audit_listing.COLUMNS,
        cells=audit_listing.entry_cells(page.items),
    )


@bp.get("/admin/audit.csv")
@role_required(RoleCode.ADMIN)
def entry_export():
    """Download the filtered trail as CSV; the export itself goes on the trail."""
    _form, filters = _filter_form()
    body, count = audit_log.export_csv(filters)
    audit.record_read("export.audit", actor=current_user, details={"rows": count})
    stamp = now().strftime("%Y%m%d-%H%M")
    return private_file(body, "text/csv", f"audit-{stamp}.csv")
