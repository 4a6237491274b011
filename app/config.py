"""Configuration: safe defaults, overridden from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_SECRET_KEY_BYTES = 32


DEFAULT_PROGRAMME_NAME = _l("Capacity-Building Programme on Online Child Sexual Exploitation")


class Defaults:
    """Values used when neither the environment nor the caller overrides them."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    WTF_CSRF_TIME_LIMIT = 12 * 3600  # seconds: a form left open overnight asks to be reloaded
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    # Interface languages, each with a catalogue in app/translations/ (English is the source).
    LANGUAGES = ("en", "fr", "es", "ar")
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # Rate limit storage: RATELIMIT_STORAGE_URI, else REDIS_URL, else this process's memory.
    RATELIMIT_STORAGE_URI = ""
    REDIS_URL = ""
    TRUSTED_PROXIES = 0  # proxy hops whose X-Forwarded-For/-Proto are believed
    RATELIMIT_HEADERS_ENABLED = True
    VERIFY_RATE_LIMIT = "30 per minute"
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_SENDER = "Training Platform <no-reply@training.invalid>"
    INVITATION_MAX_AGE_HOURS = 72
    RESET_MAX_AGE_MINUTES = 60
    # Sign-in throttling (Flask-Limiter syntax): failed attempts per account, all per address.
    LOGIN_ACCOUNT_LIMIT = "5 per minute;20 per hour"
    LOGIN_ADDRESS_LIMIT = "30 per minute;300 per hour"
    # The programme's name in the footer and emails: empty for DEFAULT_PROGRAMME_NAME translated;
    # a deployment sets PROGRAMME_NAME for every language, PROGRAMME_NAME_FR (_ES, _AR…) for one.
    PROGRAMME_NAME = ""
    ISSUER_NAME = "International Training Programme"
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    COURSES_DIR = str(Path(__file__).resolve().parent.parent / "courses")
    # Uploads: limits checked before and while a spreadsheet is read; pending files' cap and age.
    SPREADSHEET_MAX_UNPACKED_BYTES = 64 * 1000 * 1000
    HISTORY_IMPORT_MAX_ROWS = 200_000
    HISTORY_IMPORT_MAX_UNPACKED_BYTES = 256 * 1000 * 1000
    # History files with at least this many rows are imported by a worker, not the request.
    HISTORY_IMPORT_JOB_ROWS = 2_000
    # A history file this large is checked by a worker too; larger than the maximum is refused.
    HISTORY_IMPORT_JOB_BYTES = 1000 * 1000
    HISTORY_IMPORT_MAX_BYTES = 60 * 1000 * 1000
    PENDING_UPLOADS_MAX_BYTES = 200 * 1000 * 1000
    PENDING_UPLOADS_MAX_BYTES_PER_USER = 64 * 1000 * 1000
    PENDING_UPLOAD_MAX_AGE_HOURS = 24
    # Audit entries older than this are deleted by `flask privacy purge` (run daily).
    AUDIT_RETENTION_DAYS = 730
    # Rendered PDFs (sign-in sheets, board reports) are a cache of a day; asked for again later.
    DOCUMENT_RETENTION_HOURS = 24
    # Cached computations (reach figures): keyed by a data version, so a day's timeout only
    # bounds the memory a filter nobody asks for again keeps. CACHE_TYPE is chosen below.
    CACHE_DEFAULT_TIMEOUT = 24 * 3600
    CACHE_KEY_PREFIX = "tp:"
    # After a change to the data, recompute the unfiltered reach dashboard in a job. None: only
    # when jobs run on a worker (REDIS_URL), not in the request that made the change.
    REACH_PRECOMPUTE = None
    # Responses compressed: brotli where the client accepts it, else gzip (streams: deflate).
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "text/csv",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]
    # Static files whose URL carries their content hash (?v=) are kept a year by browsers.
    STATIC_IMMUTABLE_MAX_AGE = 365 * 24 * 3600


def load_environment(config: dict, instance_path: Path) -> None:
    """Fill config from DATABASE_URL, SECRET_KEY, SMTP variables and the instance folder."""
    env = os.environ
    config["ENV_NAME"] = env.get("FLASK_ENV", env.get("APP_ENV", "development"))
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'training.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(database_url)
    for key in (
        "MAIL_SERVER",
        "MAIL_USERNAME",
        "MAIL_PASSWORD",
        "MAIL_SENDER",
        "PUBLIC_BASE_URL",
        "PROGRAMME_NAME",
        "ISSUER_NAME",
    ):
        if env.get(key):
            config[key] = env[key]
    if not env.get("PUBLIC_BASE_URL") and env.get("PORT"):
        # `make run PORT=...`: links and the demo's QR codes point where the server listens.
        config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{int(env['PORT'])}"
    for language in config.get("LANGUAGES", Defaults.LANGUAGES):
        key = f"PROGRAMME_NAME_{language.upper()}"
        if env.get(key):
            config[key] = env[key]
    if env.get("MAIL_PORT"):
        config["MAIL_PORT"] = int(env["MAIL_PORT"])
    if env.get("MAIL_USE_TLS"):
        config["MAIL_USE_TLS"] = env["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    config["OUTBOX_DIR"] = env.get("OUTBOX_DIR", str(instance_path / "outbox"))
    for key in ("RATELIMIT_STORAGE_URI", "REDIS_URL"):
        if env.get(key):
            config[key] = env[key]
    if env.get("TRUSTED_PROXIES"):
        config["TRUSTED_PROXIES"] = int(env["TRUSTED_PROXIES"])
    config["SECRET_KEY"] = env.get("SECRET_KEY") or None


def programme_name(config: dict, language: str) -> str:
    """Return the programme's name in a language: the deployment's, else the default translated."""
    return (
        config.get(f"PROGRAMME_NAME_{language.upper()}")
        or config.get("PROGRAMME_NAME")
        or str(DEFAULT_PROGRAMME_NAME)
    )


def normalise_database_url(url: str) -> str:
    """Let a plain postgresql:// URL use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ensure_secret_key(config: dict, instance_path: Path) -> None:
    """Use the configured key; in development generate one and keep it in the instance folder."""
    key = config.get("SECRET_KEY")
    if config.get("ENV_NAME") == "production":
        # A short key can be guessed offline from one signed cookie, then any session forged.
        length = len(key.encode() if isinstance(key, str) else key or b"")
        if length < MIN_SECRET_KEY_BYTES:
            raise RuntimeError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes in production "
                f"(it is {length}); generate one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        return
    if key:
        return
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    config["SECRET_KEY"] = key_file.read_text().strip()


def apply_deployment_settings(config: dict) -> None:
    """Derive what follows from the environment: Secure cookies, the rate limits' storage."""
    if config.get("ENV_NAME") == "production":
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    # Every worker must count against one store, or each allows the full limit on its own.
    if not config.get("RATELIMIT_STORAGE_URI"):
        config["RATELIMIT_STORAGE_URI"] = config.get("REDIS_URL") or "memory://"
    # One cache for every worker when there is a Redis; else each process keeps its own. Tests
    # keep theirs too: each test's database starts at version 1, so a shared cache would leak.
    if not config.get("CACHE_TYPE"):
        if config.get("REDIS_URL") and not config.get("TESTING"):
            config["CACHE_TYPE"] = "RedisCache"
            config.setdefault("CACHE_REDIS_URL", config["REDIS_URL"])
        else:
            config["CACHE_TYPE"] = "SimpleCache"
