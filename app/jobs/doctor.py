"""`flask doctor`: say what the platform depends on, whether each piece works, and fail if not.

`make run` runs it before serving, so a machine missing a font, HarfBuzz or a migration is
told so before anyone issues a certificate with empty boxes for a name.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import smtplib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from redis.exceptions import RedisError
from rq import Worker
from sqlalchemy.exc import SQLAlchemyError

from app.config import MIN_SECRET_KEY_BYTES
from app.extensions import db
from app.jobs import services
from app.shared import pdf

OK, WARN, FAIL = "ok", "warn", "FAIL"


@dataclass(frozen=True)
class Finding:
    """One line of the report: what was checked, how it went, and what was seen."""

    status: str
    subject: str
    detail: str


def _database() -> Iterator[Finding]:
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        yield Finding(FAIL, "Database", f"cannot connect: {exc.__class__.__name__}: {exc}")
        return
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    url = db.engine.url.render_as_string(hide_password=True)
    if current == heads:
        yield Finding(OK, "Database", f"{url}, at migration head {', '.join(sorted(heads))}")
    else:
        seen = ", ".join(sorted(current)) or "no migration applied"
        yield Finding(
            FAIL,
            "Database",
            f"{url} is at {seen}, not at head {', '.join(sorted(heads))}: run `flask db upgrade`",
        )


def _fonts() -> Iterator[Finding]:
    try:
        fonts = pdf.installed_fonts()
    except (RuntimeError, OSError) as exc:
        yield Finding(FAIL, "Fonts", str(exc))
        return
    for script, sample in pdf.SCRIPT_SAMPLES.items():
        point = ord(sample)
        family = next(
            (
                font.family
                for font in fonts
                if any(start <= point <= end for start, end in font.ranges)
            ),
            None,
        )
        if family:
            yield Finding(OK, f"Font for {script}", f"{sample} in {family}")
        else:
            yield Finding(
                FAIL,
                f"Font for {script}",
                f"no installed font draws {sample} (U+{point:04X}): `make system-packages`",
            )


def _harfbuzz_subset() -> Iterator[Finding]:
    # WeasyPrint subsets embedded fonts with it; without it a CJK name embeds a 16 MB font.
    name = ctypes.util.find_library("harfbuzz-subset")
    try:
        ctypes.CDLL(name or "libharfbuzz-subset.so.0")
    except OSError:
        yield Finding(FAIL, "HarfBuzz subsetting", "libharfbuzz-subset0 is not installed")
        return
    yield Finding(OK, "HarfBuzz subsetting", name or "libharfbuzz-subset.so.0")


def _redis() -> Iterator[Finding]:
    if not current_app.config.get("REDIS_URL"):
        yield Finding(OK, "Redis", "REDIS_URL not set: jobs run in the web process after commit")
        return
    try:
        connection = services.redis_connection()
        connection.ping()
        workers = Worker.all(connection=connection)
    except RedisError as exc:
        yield Finding(FAIL, "Redis", f"{current_app.config['REDIS_URL']}: {exc}")
        return
    yield Finding(OK, "Redis", f"{current_app.config['REDIS_URL']} answers")
    queues = set(services.queue_names())
    alive = [w for w in workers if queues & set(w.queue_names())]
    if alive:
        yield Finding(OK, "Job workers", f"{len(alive)} alive on {', '.join(sorted(queues))}")
    else:
        yield Finding(WARN, "Job workers", "none alive: jobs wait until `flask jobs worker` runs")


def _smtp() -> Iterator[Finding]:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        yield Finding(OK, "SMTP", f"MAIL_SERVER not set: emails go to {config['OUTBOX_DIR']}")
        return
    where = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=5) as smtp:
            smtp.noop()
    except (OSError, smtplib.SMTPException) as exc:
        yield Finding(FAIL, "SMTP", f"cannot reach {where}: {exc}")
        return
    yield Finding(OK, "SMTP", f"{where} answers")


def _public_base_url() -> Iterator[Finding]:
    url = current_app.config.get("PUBLIC_BASE_URL") or ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        yield Finding(FAIL, "PUBLIC_BASE_URL", f"{url!r} is not an http(s) address")
    elif parts.hostname in ("127.0.0.1", "localhost") and not current_app.debug:
        yield Finding(WARN, "PUBLIC_BASE_URL", f"{url}: links in emails and QR codes stay local")
    else:
        yield Finding(OK, "PUBLIC_BASE_URL", url)


def _secret_key() -> Iterator[Finding]:
    key = current_app.config.get("SECRET_KEY") or ""
    length = len(key.encode() if isinstance(key, str) else key)
    if length < MIN_SECRET_KEY_BYTES:
        yield Finding(
            FAIL, "SECRET_KEY", f"{length} bytes, at least {MIN_SECRET_KEY_BYTES} are needed"
        )
    else:
        yield Finding(OK, "SECRET_KEY", f"{length} bytes")


CHECKS: tuple[Callable[[], Iterator[Finding]], ...] = (
    _database,
    _fonts,
    _harfbuzz_subset,
    _redis,
    _smtp,
    _public_base_url,
    _secret_key,
)


def examine() -> list[Finding]:
    """Run every check and return what each found."""
    return [finding for check in CHECKS for finding in check()]


@click.command("doctor")
@with_appcontext
def doctor_command() -> None:
    """Check the database, fonts, HarfBuzz, Redis and workers, SMTP, base URL and secret key."""
    findings = examine()
    colours = {OK: "green", WARN: "yellow", FAIL: "red"}
    for finding in findings:
        click.secho(f"{finding.status:<4} ", fg=colours[finding.status], nl=False)
        click.echo(f"{finding.subject}: {finding.detail}")
    failed = sum(finding.status == FAIL for finding in findings)
    if failed:
        raise click.ClickException(f"{failed} required part(s) missing or not working.")
