"""`flask privacy purge` deletes audit entries past the retention and expired pending uploads."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.config import Defaults
from app.extensions import db
from app.shared import pending_uploads
from app.shared.models import utcnow
from tests import factories


@pytest.fixture
def app_overrides(tmp_path):
    return {"AUDIT_RETENTION_DAYS": 30, "UPLOAD_DIR": str(tmp_path / "uploads")}


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_purge_deletes_only_what_is_past_its_time(app, runner):
    now = utcnow()
    db.session.add_all(
        [
            AuditEntry(action="old.one", at=now - timedelta(days=31)),
            AuditEntry(action="old.two", at=now - timedelta(days=400)),
            AuditEntry(action="recent", at=now - timedelta(days=29)),
        ]
    )
    db.session.commit()
    with app.test_request_context():
        stale = pending_uploads.store("test", "old.csv", b"a,b\n", {})
        fresh = pending_uploads.store("test", "new.csv", b"a,b\n", {})
    hours = app.config["PENDING_UPLOAD_MAX_AGE_HOURS"] + 1
    old = (now - timedelta(hours=hours)).timestamp()
    for path in Path(app.config["UPLOAD_DIR"]).glob(f"{stale}.*"):
        os.utime(path, (old, old))

    result = runner.invoke(args=["privacy", "purge"])

    assert result.exit_code == 0, result.output
    assert "Deleted 2 audit entries older than" in result.output
    assert "Deleted 1 expired pending uploads." in result.output
    db.session.expire_all()
    assert _actions() == ["recent", "privacy.purge"]
    purge = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.purge")).one()
    assert purge.details["audit_entries"] == 2
    remaining = {path.stem for path in Path(app.config["UPLOAD_DIR"]).iterdir()}
    assert remaining == {fresh}


def test_default_retention_is_two_years():
    assert Defaults.AUDIT_RETENTION_DAYS == 730


def test_purge_deletes_rendered_documents_past_their_day(app, runner):
    from app.documents.models import RenderedDocument

    owner = factories.make_user(roles=("trainer",))
    now = utcnow()
    db.session.add_all(
        [
            RenderedDocument(
                kind="sign_in_sheet", requested_by=owner, created_at=now - timedelta(hours=25)
            ),
            RenderedDocument(kind="sign_in_sheet", requested_by=owner, created_at=now),
        ]
    )
    db.session.commit()
    result = runner.invoke(args=["privacy", "purge"])
    assert "Deleted 1 rendered documents past their retention." in result.output
    assert db.session.scalar(select(func.count()).select_from(RenderedDocument)) == 1
