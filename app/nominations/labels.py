"""Translated labels for the nominations domain's codes, shared by forms, pages and emails."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.enrolment.models import EnrolmentStatus
from app.nominations.models import NominationStatus, VettingOutcome

STATUS_LABELS = {
    NominationStatus.NOMINATED.value: _l("Nominated"),
    NominationStatus.ENDORSED.value: _l("Endorsed by the focal point"),
    NominationStatus.UNDER_REVIEW.value: _l("Under review"),
    NominationStatus.VETTING.value: _l("Vetting"),
    NominationStatus.ACCEPTED.value: _l("Accepted"),
    NominationStatus.WAITLISTED.value: _l("Waitlisted"),
    NominationStatus.DECLINED.value: _l("Declined"),
    NominationStatus.CONFIRMED.value: _l("Confirmed by the nominee"),
    NominationStatus.ENROLLED.value: _l("Enrolled"),
    NominationStatus.WITHDRAWN.value: _l("Withdrawn"),
    NominationStatus.REPLACED.value: _l("Replaced"),
}

# Shown beside "Enrolled" once the enrolment ended in the enrolment pages.
ENROLMENT_ENDED_LABELS = {
    EnrolmentStatus.WITHDRAWN.value: _l("Enrolment withdrawn"),
    EnrolmentStatus.DECLINED.value: _l("Enrolment declined"),
}

# What the button that makes each move says (the target status is the key).
ACTION_LABELS = {
    NominationStatus.ENDORSED.value: _l("Endorse"),
    NominationStatus.UNDER_REVIEW.value: _l("Move to review"),
    NominationStatus.VETTING.value: _l("Send to vetting"),
    NominationStatus.ACCEPTED.value: _l("Accept"),
    NominationStatus.WAITLISTED.value: _l("Waitlist"),
    NominationStatus.DECLINED.value: _l("Decline"),
    NominationStatus.CONFIRMED.value: _l("Confirm my place"),
    NominationStatus.ENROLLED.value: _l("Enrol"),
    NominationStatus.WITHDRAWN.value: _l("Withdraw"),
}

VETTING_LABELS = {
    VettingOutcome.CLEARED.value: _l("Cleared"),
    VettingOutcome.NOT_CLEARED.value: _l("Not cleared"),
}
