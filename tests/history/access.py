import io

from app.extensions import db
from app.history.models import HistoryImport
from tests.access import Route
from tests.history.helpers import csv_bytes, row

MANAGERS = frozenset({"manager", "admin"})


def _history_import(world) -> dict:
    """Return the id of an import waiting for a worker, made once per world."""
    if not hasattr(world, "history_import_id"):
        record = HistoryImport(
            kind="history",
            requested_by=world.users["manager"],
            filename="past.csv",
            file_token="a" * 32,
            total=10,
        )
        db.session.add(record)
        db.session.commit()
        world.history_import_id = record.id
    return {"import_id": world.history_import_id}


ROUTES = [
    Route("history.import_upload", MANAGERS),
    Route(
        "history.import_upload",
        MANAGERS,
        method="POST",
        data=lambda w: {"file": (io.BytesIO(csv_bytes([row(course="world-course")])), "past.csv")},
    ),
    Route(
        "history.import_confirm",
        MANAGERS,
        method="POST",
        data=lambda w: {"token": "a" * 32},
    ),
    Route("history.import_template", MANAGERS),
    Route("history.import_progress", MANAGERS, kwargs=_history_import),
    Route("history.import_progress_json", MANAGERS, kwargs=_history_import),
    Route(
        "history.import_checked_confirm",
        MANAGERS,
        method="POST",
        kwargs=_history_import,
        data=lambda w: {},
    ),
]
