"""Fixtures: an isolated database per test on SQLite and PostgreSQL, clients, logins, servers."""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests import factories
from tests.pg import ThrowawayPostgres, free_port
from tests.redis_server import ThrowawayRedis

OUTPUT_DIR = Path(__file__).parent / "output"
BACKENDS = [b for b in os.environ.get("TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Folder for screenshots and rendered files a person can look at after the run."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


def _create_schema(url: str) -> None:
    engine = create_engine(url)
    # Importing the app registers every model on the metadata.
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    db.metadata.create_all(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_server():
    """Start one throwaway PostgreSQL for the whole run, with a template database."""
    if not ThrowawayPostgres.available():
        pytest.skip("PostgreSQL 15 binaries are not installed")
    server = ThrowawayPostgres()
    base = server.start()
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE tpl_schema"))
    _create_schema(f"{base}/tpl_schema")
    yield base, admin
    admin.dispose()
    server.stop()


@pytest.fixture(scope="session")
def redis_server():
    """Start one throwaway Redis for the whole run (`make test` installs redis-server)."""
    if not ThrowawayRedis.available():
        pytest.skip("redis-server is not installed")
    server = ThrowawayRedis()
    url = server.start()
    yield url
    server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """Yield the URL of the run's Redis, emptied for this test (rate limit counters and all)."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server


@pytest.fixture
def rq_queue(app):
    """Return the app's default job queue on its Redis (tests that set REDIS_URL)."""
    from redis import Redis
    from rq import Queue

    return Queue("default", connection=Redis.from_url(app.config["REDIS_URL"]))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """Build the schema once; each test copies the file."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    _create_schema(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """Yield the URL of a fresh database with the full schema, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    base, admin = request.getfixturevalue("postgres_server")
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE tpl_schema'))
    yield f"{base}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(autouse=True, scope="session")
def _instance_outside_the_checkout(tmp_path_factory):
    """Keep what the app writes to its instance folder (secret key, uploads) out of the checkout."""
    os.environ["INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))


@pytest.fixture
def app_overrides() -> dict:
    """Let a test module change configuration before the app is built."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_overrides):
    """An app bound to this test's own database, inside an app context."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": "",
        **app_overrides,
    }
    app = create_app(config)

    # Requests reuse the test's app context, and with it `g`; forget the previous request's
    # user so that each request signs in from its own cookie, as in production.
    @app.before_request
    def _forget_previous_user() -> None:
        g.pop("_login_user", None)

    with app.app_context():
        yield app
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app."""
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Return a function that signs a user in on the test client."""

    def _login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture
def as_role(login):
    """Return a function that creates a user with the given roles and signs them in."""

    def _as(*roles: str, **kwargs):
        return login(factories.make_user(roles=roles, **kwargs))

    return _as


@pytest.fixture
def outbox(app) -> list:
    """Return the emails written to the development outbox, parsed."""
    from email import policy
    from email.parser import BytesParser

    class Outbox(list):
        def refresh(self):
            self.clear()
            folder = Path(app.config["OUTBOX_DIR"])
            for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
                self.append(BytesParser(policy=policy.default).parsebytes(path.read_bytes()))
            return self

    return Outbox()


@pytest.fixture
def live_server(app):
    """Serve the app on a free loopback port in a thread; data must be committed to be seen."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def smtp_server(app):
    """Run a real SMTP server (aiosmtpd) on a free loopback port and point the app at it.

    aiosmtpd's start() connects to the port it was given to check the server is up, so port 0
    cannot be used: pick a free port first.
    """
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield received
    controller.stop()


@pytest.fixture(scope="session")
def base_url():
    """Replace pytest-base-url's session fixture, deprecated in pytest 9 (an error here)."""
    return None
