"""Benchmark `courses sync` on a large catalogue, and the catalogue page's query count.

Figures: validating COPIES course files alone (the floor: YAML parsing and checks), a first
sync that creates them, and a second sync with unchanged files, which should cost little more
than the floor. The catalogue page must use the same number of queries for 5 or 100 courses.
Run it alone with:  .venv/bin/python -m bench.curriculum
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import yaml
from sqlalchemy import event

COPIES = 100
ROOT = Path(__file__).resolve().parent.parent


def _write_catalogue(folder: Path, copies: int) -> None:
    """Write `copies` course files derived from the shipped ones (distinct slugs and codes)."""
    sources = sorted((ROOT / "courses").glob("*.yaml"))
    for index in range(copies):
        data = yaml.safe_load(sources[index % len(sources)].read_text(encoding="utf-8"))
        data["slug"] = f"{data['slug']}-{index:03d}"
        data["code"] = f"B{index:03d}"
        data["title"] = f"{data['title']} ({index})"
        data.pop("certificate", None)
        (folder / f"{data['slug']}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )


def _timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def _catalogue_queries(app, client) -> int:
    from app.extensions import db

    count = 0

    def _count(*_args) -> None:
        nonlocal count
        count += 1

    engine = db.engine
    client.get("/courses")  # warm up: the first request also loads the signed-in user
    db.session.remove()
    event.listen(engine, "before_cursor_execute", _count)
    try:
        response = client.get("/courses")
        assert response.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return count


def run() -> list[str]:
    from app import create_app
    from app.curriculum.sync import read_courses, sync_courses
    from app.extensions import db
    from tests import factories

    work = Path(tempfile.mkdtemp(prefix="bench-curriculum-"))
    try:
        folder = work / "courses"
        folder.mkdir()
        _write_catalogue(folder, COPIES)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.db'}",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        lines = []
        with app.app_context():
            db.create_all()
            floor, _ = _timed(lambda: read_courses(folder))
            first, report = _timed(lambda: sync_courses(folder))
            db.session.commit()
            assert report.created == COPIES
            again, report = _timed(lambda: sync_courses(folder))
            db.session.commit()
            assert not report.changed
            lines.append(f"validate {COPIES} files only: {floor * 1000:.0f} ms (floor)")
            lines.append(
                f"first sync (create): {first * 1000:.0f} ms, ratio {first / floor:.1f}x floor"
            )
            lines.append(
                f"second sync (unchanged): {again * 1000:.0f} ms, ratio {again / floor:.1f}x floor"
            )

            user = factories.make_user(roles=("participant",))
            db.session.commit()
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = str(user.id)
            many = _catalogue_queries(app, client)
            shutil.rmtree(folder)
            folder.mkdir()
            _write_catalogue(folder, 5)
            sync_courses(folder)
            db.session.commit()
            few = _catalogue_queries(app, client)
            lines.append(f"catalogue page queries: {few} for 5 courses, {many} for {COPIES}")
            db.session.remove()
            db.engine.dispose()
        return lines
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    for line in run():
        print(line)
