"""Translated labels for the attendance domain's codes, shared by forms and pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.attendance.models import AttendanceStatus

STATUS_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.LATE: _l("Late"),
    AttendanceStatus.EXCUSED: _l("Excused"),
    AttendanceStatus.ABSENT: _l("Absent"),
}
