"""Benchmark the main pages on the 300,000-enrolment bench database (bench/_data.py).

Bytes: for each main page as a signed-in user, what a browser accepting brotli receives on a
first visit (the HTML, every static file it references and the files those stylesheets
reference) and on a repeat visit (the HTML alone: static files carry a hash and are kept a
year). Targets: under 100 KB first, under 30 KB repeat.
Throughput: gunicorn with 2 workers on a loopback port, the login page (signed out) and each
list (signed in through the form: sessions, people, accounts, audit trail, emails, with the
accounts, audit entries and emails of _data.LIST_ROWS) in turn, three turns of 5 s each at
concurrency 8; each list's requests per second must be at least a third of the login page's.
It also prints the workers' CPU per request of each page (from /proc), steadier on a shared,
busy machine.
Run it alone with:  .venv/bin/python -m bench pages
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import _data

FIRST_TARGET = 100_000
REPEAT_TARGET = 30_000
WORKERS = 2
CONCURRENCY = 8
SECONDS = 15.0  # for each page, in ROUNDS turns
ROUNDS = 3
TARGET_RPS_RATIO = 3.0
ROOT = Path(__file__).resolve().parent.parent
ASSET = re.compile(r'(?:href|src)="(/static/[^"#]+)')
CSS_ASSET = re.compile(r"url\(['\"]?(/static/[^'\")#]+)")


def _app(url: str, tmp: str):
    from app import create_app

    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "OUTBOX_DIR": str(Path(tmp) / "outbox"),
        }
    )


def _people() -> dict:
    """Return the bench's accounts' ids (a participant's with trainings) and a full session.

    The session's trainer is the bench's trainer, who takes its roll call.
    """
    from sqlalchemy import func, select

    from app.enrolment.models import Enrolment, Participant
    from app.extensions import db
    from app.scheduling.models import TrainingSession

    manager, _token = _data.bench_manager()
    learner = _data.bench_user(
        "bench-participant@example.org", "Bench Participant", {"participant"}
    )
    person = db.session.get(Participant, 1)
    if person.user_id is None:
        person.user_id = learner.id
        db.session.commit()
    busiest = db.session.execute(
        select(TrainingSession.id, TrainingSession.start_date)
        .join(Enrolment, Enrolment.training_session_id == TrainingSession.id)
        .where(TrainingSession.status == "completed")
        .group_by(TrainingSession.id, TrainingSession.start_date)
        .order_by(func.count().desc(), TrainingSession.id)
        .limit(1)
    ).one()
    _data.bench_user("bench-admin@example.org", "Bench Admin", {"admin"})
    trainer = _data.bench_user("bench-trainer@example.org", "Bench Trainer", {"trainer"})
    session = db.session.get(TrainingSession, busiest.id)
    if trainer not in session.trainers:
        session.trainers.append(trainer)
        db.session.commit()
    return {
        "manager": manager.get_id(),
        "trainer": trainer.get_id(),
        "participant": learner.get_id(),
        "session": busiest,
    }


def _pages(session) -> dict[str, tuple[str, str]]:
    """Name each main page with the account it is seen as and its path."""
    ts, day = session.id, session.start_date.isoformat()
    return {
        "landing": ("manager", "/home"),
        "login": (None, "/login"),
        "session list": ("manager", "/training-sessions"),
        "session page": ("manager", f"/training-sessions/{ts}"),
        "roll call": ("trainer", f"/training-sessions/{ts}/attendance/{day}"),
        "enrolments": ("manager", f"/training-sessions/{ts}/enrolments"),
        "reach dashboard": ("manager", "/reach"),
        "my trainings": ("participant", "/my-trainings"),
    }


def _transferred(client, path: str) -> tuple[int, int, int]:
    """Return the bytes of a first visit and of a repeat one, and the static files fetched."""
    headers = {"Accept-Encoding": "br, gzip"}
    page = client.get(path, headers=headers)
    assert page.status_code == 200, (path, page.status_code, page.location)
    html = page.get_data()
    found = dict.fromkeys(ASSET.findall(client.get(path).get_data(as_text=True)))
    first, fetched = len(html), set()
    while found:
        url = next(iter(found))
        del found[url]
        if url in fetched:
            continue
        fetched.add(url)
        response = client.get(url, headers=headers)
        first += len(response.get_data())
        if url.split("?")[0].endswith(".css"):
            found.update(dict.fromkeys(CSS_ASSET.findall(client.get(url).get_data(as_text=True))))
        response.close()
    return first, len(html), len(fetched)


def _page_bytes(app, people: dict) -> list[str]:
    lines = []
    clients = {}
    for role in ("manager", "trainer", "participant"):
        clients[role] = app.test_client()
        with clients[role].session_transaction() as session:
            session["_user_id"] = people[role]
            session["_fresh"] = True
    clients[None] = app.test_client()
    for name, (role, path) in _pages(people["session"]).items():
        first, repeat, assets = _transferred(clients[role], path)
        verdict = "OK" if first < FIRST_TARGET and repeat < REPEAT_TARGET else "HEAVY"
        lines.append(
            f"[page bytes] {name:<16} first visit {first:>7,} B ({assets} static files), "
            f"repeat {repeat:>6,} B (targets < 100 KB / < 30 KB) {verdict}"
        )
    return lines


# --- Requests per second under gunicorn --------------------------------------------------------


def _free_port() -> int:
    from tests.pg import free_port

    return free_port()


def _request(port: int, method: str, path: str, cookie: str = "", body: str = ""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def _sign_in(port: int, email: str) -> str:
    """Sign in through the login form; return the session cookie."""
    response, html = _request(port, "GET", "/login")
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html).group(1).decode()
    form = urlencode({"csrf_token": token, "email": email, "password": _data.PASSWORD})
    response, _ = _request(port, "POST", "/login", cookie, form)
    assert response.status == 302, ("sign-in failed", response.status)
    return response.getheader("Set-Cookie", "").split(";")[0] or cookie


def _hammer(port: int, path: str, cookie: str, seconds: float) -> tuple[int, int, float]:
    """Request path from CONCURRENCY threads for some seconds; return done, failed, seconds."""
    done, failed = [0] * CONCURRENCY, [0] * CONCURRENCY
    stop = time.perf_counter() + seconds

    def loop(number: int) -> None:
        while time.perf_counter() < stop:
            response, _ = _request(port, "GET", path, cookie)
            if response.status == 200:
                done[number] += 1
            else:
                failed[number] += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), sum(failed), time.perf_counter() - started


def _workers_cpu(server: int) -> float:
    """Return the CPU seconds the server's worker processes have used (0 without /proc)."""
    try:
        children = Path(f"/proc/{server}/task/{server}/children").read_text().split()
        ticks = 0
        for child in children:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return 0.0
    return ticks / os.sysconf("SC_CLK_TCK")


def _alternately(
    port: int, server: int, targets: dict[str, str]
) -> dict[str, tuple[float, int, float]]:
    """Hammer each path in turn, ROUNDS times, so that machine noise hits them alike.

    Return each path's requests per second, failures and the workers' CPU milliseconds per
    request over its SECONDS in all: on a shared, busy machine the CPU a request costs is the
    steadier figure.
    """
    totals = {path: [0, 0, 0.0, 0.0] for path in targets}
    for _round in range(ROUNDS):
        for path, cookie in targets.items():
            cpu = _workers_cpu(server)
            done, failed, seconds = _hammer(port, path, cookie, SECONDS / ROUNDS)
            totals[path] = [
                totals[path][0] + done,
                totals[path][1] + failed,
                totals[path][2] + seconds,
                totals[path][3] + _workers_cpu(server) - cpu,
            ]
    return {
        path: (done / seconds, failed, 1000 * cpu / done if done else 0.0)
        for path, (done, failed, seconds, cpu) in totals.items()
    }


# Each list, as whom it is opened: managers keep sessions and people, administrators the rest.
LISTS = {
    "session list": ("/training-sessions", "bench-manager@example.org"),
    "people": ("/participants", "bench-manager@example.org"),
    "accounts": ("/admin/users", "bench-admin@example.org"),
    "audit trail": ("/admin/audit", "bench-admin@example.org"),
    "emails": ("/admin/emails", "bench-admin@example.org"),
}


def _throughput(url: str, tmp: str) -> list[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" * 8,
        "INSTANCE_PATH": str(Path(tmp) / "instance"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                _request(port, "GET", "/login")
                break
            except OSError:
                time.sleep(0.1)
        cookies = {email: _sign_in(port, email) for _path, email in LISTS.values()}
        # Signed out, the login page shows its form (a signed-in visitor is sent home).
        targets = {"/login": "", **{path: cookies[email] for path, email in LISTS.values()}}
        found = _alternately(port, server.pid, targets)
    finally:
        server.terminate()
        server.wait(timeout=30)
    login, login_failed, login_cpu = found["/login"]
    lines = [
        f"[gunicorn {WORKERS} workers, concurrency {CONCURRENCY}, {SECONDS:.0f} s a page in "
        f"{ROUNDS} turns, pages in turn] login page {login:.0f} req/s ({login_failed} failed), "
        f"{login_cpu:.1f} ms of workers' CPU a request"
    ]
    for name, (path, _email) in LISTS.items():
        served, failed, cpu = found[path]
        ratio = login / served if served else float("inf")
        verdict = "OK" if ratio <= TARGET_RPS_RATIO else "SLOW"
        lines.append(
            f"  {name:<13} {path:<19} {served:5.0f} req/s ({failed} failed): login/list "
            f"{ratio:.2f}x (target <= {TARGET_RPS_RATIO:.0f}x) {verdict}; CPU {cpu:.1f} ms, "
            f"{cpu / login_cpu if login_cpu else 0:.2f}x"
        )
    lines.append(f"  load average {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    return lines


def run() -> list[str]:
    """Measure page bytes and the lists' throughput on the 300k SQLite database."""
    (size,) = _data.sizes(["300k"])
    url, built = _data.sqlite_url(size)
    _data.fill_lists(url)
    made = f"built in {built:.1f} s" if built is not None else "kept from an earlier run"
    rows = ", ".join(f"{count:,} {table}" for table, count in _data.LIST_ROWS.items())
    lines = [f"[sqlite 300k] {size.describe()}, {rows}; {made}"]
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(url, tmp)
        with app.app_context():
            people = _people()
        # Outside any app context: each request then has its own g (Flask-Login's user).
        lines += _page_bytes(app, people)
        lines += _throughput(url, tmp)
    return lines
