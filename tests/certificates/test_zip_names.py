"""The certificates ZIP names each file by number and holder, readable in any script."""

from __future__ import annotations

import io
import zipfile

from app.certificates import services
from app.certificates.archive import entry_name
from app.extensions import db
from tests.certificates.helpers import completed_session


def test_zip_entries_are_named_by_number_and_holder_in_any_script(client, login):
    names = ("Grace Achieng", "Grace Achieng", "محمد عبد الله", "ณัฐพล ศรีสุข", "../Ana/Núñez\\x")
    scene = completed_session(names=names)
    services.issue_for_session(scene.training_session, scene.trainer, notify=False)
    db.session.commit()
    login(scene.trainer)
    response = client.get(f"/training-sessions/{scene.training_session.id}/certificates.zip")
    entries = sorted(zipfile.ZipFile(io.BytesIO(response.data)).namelist())
    assert entries == [
        "CFCAC-2026-KE-01-0001 Grace Achieng.pdf",
        "CFCAC-2026-KE-01-0002 Grace Achieng.pdf",
        "CFCAC-2026-KE-01-0003 محمد عبد الله.pdf",
        "CFCAC-2026-KE-01-0004 ณัฐพล ศรีสุข.pdf",
        "CFCAC-2026-KE-01-0005 Ana Núñez x.pdf",
    ]


def test_an_entry_name_has_no_path_separator_control_or_reserved_character():
    name = entry_name("N-1", ' \u202e..\\Evil/../"name"?:*<>|\t\x00 ')
    assert name == "N-1 Evil name.pdf"
    assert entry_name("N-2", "") == "N-2.pdf"
    assert len(entry_name("N-3", "ع" * 400).encode()) <= 200
