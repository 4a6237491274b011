"""Benchmark sign-in: the same work for known and unknown emails, and the throttle's allowance.

Figures (from the trust issue):
- a refused login for a known email (wrong password) vs for an unknown email, alternated in one
  run: the medians must differ by no more than the noise (the spread between rounds);
- failed attempts one account may make per minute, and login posts one client address may
  make per minute, counted by posting until the app answers 429.
Run it alone with:  .venv/bin/python -m bench accounts
"""

from __future__ import annotations

import statistics
import tempfile
import time

ROUNDS = 40


def _app(folder: str, **overrides):
    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "SECRET_KEY": "bench" * 8,
            "OUTBOX_DIR": f"{folder}/outbox",
            "WTF_CSRF_ENABLED": False,
            **overrides,
        }
    )
    with app.app_context():
        db.create_all()
        from app.accounts.services import create_user

        create_user("known@example.org", "Known", {"trainer"}, "Lantern-harbour-Quietly-49")
        db.session.commit()
    return app


def _timing_figures(folder: str) -> list[str]:
    app = _app(folder, RATELIMIT_ENABLED=False)
    client = app.test_client()
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(ROUNDS):
        for kind in ("known", "unknown") if n % 2 else ("unknown", "known"):
            email = "known@example.org" if kind == "known" else f"nobody{n}@example.org"
            started = time.perf_counter()
            response = client.post("/login", data={"email": email, "password": "wrong guess"})
            times[kind].append(time.perf_counter() - started)
            assert response.status_code == 200
    known, unknown = (statistics.median(times[k]) * 1000 for k in ("known", "unknown"))
    noise = statistics.pstdev(times["known"] + times["unknown"]) * 1000
    return [
        f"refused login, known email: median {known:.1f} ms over {ROUNDS}",
        f"refused login, unknown email: median {unknown:.1f} ms over {ROUNDS}",
        f"difference {abs(known - unknown):.1f} ms; spread (std dev) {noise:.1f} ms; "
        f"ratio {unknown / known:.2f}",
    ]


def _allowance(client, make_email) -> int:
    for attempt in range(1, 1000):
        response = client.post("/login", data={"email": make_email(attempt), "password": "x"})
        if response.status_code == 429:
            return attempt - 1
    return 999


def _throttle_figures(folder: str) -> list[str]:
    app = _app(folder + "/a", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    per_account = _allowance(app.test_client(), lambda n: "known@example.org")
    app = _app(folder + "/b", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    per_address = _allowance(app.test_client(), lambda n: f"guess{n}@example.org")
    return [
        f"failed attempts allowed per account per minute: {per_account} "
        f"(config {app.config['LOGIN_ACCOUNT_LIMIT']!r})",
        f"login posts allowed per client address per minute: {per_address} "
        f"(config {app.config['LOGIN_ADDRESS_LIMIT']!r})",
    ]


def run() -> list[str]:
    """Measure the timing equality and the throttle; return printable lines."""
    import os

    with tempfile.TemporaryDirectory() as folder:
        os.makedirs(folder + "/a")
        os.makedirs(folder + "/b")
        return _timing_figures(folder) + _throttle_figures(folder)


if __name__ == "__main__":
    for line in run():
        print(line)
