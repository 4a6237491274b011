"""Certificates' part of merging two records of one person: certificates move, one stays live."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from app.certificates.models import Certificate
from app.certificates.services import revoke
from app.enrolment.signals import participants_merged
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.enrolment.models import Enrolment, Participant


@participants_merged.connect
def _move_certificates(
    keep: Participant,
    *,
    combined: list[tuple[Enrolment, Enrolment]],
    actor: User,
    note: str,
    **_context: object,
) -> None:
    """Move the dropped enrolment's certificates to the kept one, revoking a second live one."""
    for better, worse in combined:
        kept_live = db.session.scalar(
            select(Certificate.id).where(
                Certificate.enrolment_id == better.id, Certificate.revoked_at.is_(None)
            )
        )
        for certificate in db.session.scalars(
            select(Certificate).where(Certificate.enrolment_id == worse.id)
        ):
            # One live certificate per enrolment: the duplicate record's own is revoked, and kept.
            if kept_live is not None and certificate.revoked_at is None:
                revoke(certificate, actor, f"Duplicate record merged; {note}")
                db.session.flush()
            certificate.enrolment = better
