"""Benchmark certificate rendering, batch issuing on both cores, and PDF size.

Figures (targets from the issue):
- steady-state render of one certificate through app.shared.pdf vs WeasyPrint rendering the
  same HTML string directly (same base URL, default fetcher): ratio at most 1.5;
- issuing BATCH certificates for one session with issue_for_session (content, numbers, HTML in
  this process, PDFs rendered in worker processes, rows written in one transaction) vs
  rendering the same HTML one after another in one process: ratio at most 0.7;
- PDF size with names in every script, one certificate per script and one with all: < 150 KB.
Run it alone with:  .venv/bin/python -m bench certificates
"""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

BATCH = 200
WARMUP = 3
ROUNDS = 12
RENDER_TARGET = 1.5
BATCH_TARGET = 0.7
SIZE_LIMIT = 150 * 1024
SCRIPTS = {
    "Latin": "Zoë Øster-Łukasiewicz Nguyễn",
    "Arabic": "فاطمة الزهراء بن علي",
    "Cyrillic": "Александра Кузнецова",
    "Chinese": "王小明",
    "Japanese": "山田 さくら",
    "Korean": "김민준",
    "Devanagari": "प्रिया देसाई",
    "Thai": "สมชาย ใจดี",
}


def _app(folder: str):
    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "SECRET_KEY": "bench",
            "OUTBOX_DIR": f"{folder}/outbox",
            "MAIL_SERVER": "",
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _names(count: int) -> tuple[str, ...]:
    scripts = list(SCRIPTS.values())
    return tuple(f"{scripts[n % len(scripts)]} {n:03d}" for n in range(count))


def _render_figures(app) -> list[str]:
    from weasyprint import HTML

    from app.certificates import services
    from app.extensions import db
    from app.shared import pdf
    from tests.certificates.helpers import completed_session

    with app.app_context():
        scene = completed_session(names=("Zoë Øster-Łukasiewicz",), code="BENCH-2026-KE-01")
        html = services.prepare(scene.enrolments[0], 1).html
        db.session.rollback()
        base_url = Path(app.static_folder).resolve().as_uri() + "/"

        def ours() -> bytes:
            return pdf.html_to_pdf(html)

        def direct() -> bytes:
            return HTML(string=html, base_url=base_url).write_pdf()

        for _ in range(WARMUP):
            ours()
            direct()
        timings: dict[str, list[float]] = {"ours": [], "direct": []}
        for _ in range(ROUNDS):  # alternate so that machine load hits both alike
            for label, render in (("ours", ours), ("direct", direct)):
                started = time.perf_counter()
                render()
                timings[label].append(time.perf_counter() - started)
    ours_ms = statistics.median(timings["ours"]) * 1000
    direct_ms = statistics.median(timings["direct"]) * 1000
    ratio = ours_ms / direct_ms
    verdict = "OK" if ratio <= RENDER_TARGET else "SLOW"
    return [
        f"render one certificate (median of {ROUNDS}): app.shared.pdf {ours_ms:.0f} ms, "
        f"WeasyPrint direct {direct_ms:.0f} ms, ratio {ratio:.2f} "
        f"(target <= {RENDER_TARGET}) {verdict}"
    ]


def _cpu_seconds() -> float:
    """Return CPU time used by this process and its finished children (the PDF workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _batch_figures(app) -> list[str]:
    from app.certificates import services
    from app.certificates.models import Certificate
    from app.extensions import db
    from app.shared import pdf
    from tests.certificates.helpers import completed_session

    with app.app_context():
        scene = completed_session(names=_names(BATCH), code="BENCH-2026-KE-02", validity_months=36)
        db.session.commit()
        enrolments = services.due_enrolments(scene.training_session)
        htmls = [services.prepare(e, n + 1).html for n, e in enumerate(enrolments)]
        pdf.html_to_pdf(htmls[0])  # warm the font configuration for both measurements

        started = time.perf_counter()
        for html in htmls:
            pdf.html_to_pdf(html)
        sequential = time.perf_counter() - started

        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        issued = services.issue_for_session(scene.training_session, None, notify=False)
        db.session.commit()
        batch = time.perf_counter() - started
        cores_used = (_cpu_seconds() - cpu_before) / batch
        stored = db.session.query(Certificate).count()
    ratio = batch / sequential
    verdict = "OK" if ratio <= BATCH_TARGET else "SLOW"
    return [
        f"issue {BATCH} certificates for one session on {os.cpu_count()} cores: "
        f"issue_for_session {batch:.1f} s (incl. content, numbers, HTML and DB writes), "
        f"sequential rendering of the same HTML {sequential:.1f} s, ratio {ratio:.2f} "
        f"(target <= {BATCH_TARGET}) {verdict}; {len(issued)} issued, {stored} rows",
        f"cores this process and its workers got during the batch: {cores_used:.2f} "
        f"of {os.cpu_count()} (other work on the machine takes the rest)",
    ]


def _size_figures(app) -> list[str]:
    from app.certificates import services
    from app.extensions import db
    from tests.certificates.helpers import completed_session

    sizes = {}
    with app.app_context():
        for n, (script, name) in enumerate(SCRIPTS.items(), start=1):
            scene = completed_session(
                names=(name,),
                code=f"SIZE-2026-KE-{n:02d}",
                language="ar" if script == "Arabic" else "en",
            )
            sizes[script] = len(services.issue(scene.enrolments[0], None).pdf)
        scene = completed_session(names=("王小明 山田さくら 김민준",), code="SIZE-2026-KE-99")
        scene.enrolments[0].participant.latin_name = "Zoë · فاطمة · Александра · प्रिया · สมชาย"
        sizes["all scripts on one"] = len(services.issue(scene.enrolments[0], None).pdf)
        db.session.rollback()
    largest = max(sizes.values())
    verdict = "OK" if largest < SIZE_LIMIT else "TOO BIG"
    listing = ", ".join(f"{script} {size / 1024:.0f}" for script, size in sizes.items())
    return [
        f"PDF size in KB: {listing}; largest {largest / 1024:.0f} KB "
        f"(limit {SIZE_LIMIT // 1024} KB) {verdict}"
    ]


def run() -> list[str]:
    """Measure rendering, batch issuing and size; return printable lines."""
    with tempfile.TemporaryDirectory() as folder:
        app = _app(folder)
        # Other work on the machine takes cores away from the parallel batch; say how much.
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        lines = [f"load average before the run (1, 5, 15 min): {load} on {os.cpu_count()} cores"]
        lines += _render_figures(app)
        lines += _size_figures(app)
        lines += _batch_figures(app)
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
        return lines


if __name__ == "__main__":
    for line in run():
        print(line)
