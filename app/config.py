"""Configuration: safe defaults, overridden from the environment."""

import os
import secrets
from pathlib import Path


class Defaults:
    """Values used when neither the environment nor the caller overrides them."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    RATELIMIT_STORAGE_URI = "memory://"
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
    PROGRAMME_NAME = "Capacity-Building Programme on Online Child Sexual Exploitation"
    ISSUER_NAME = "International Training Programme"
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    COURSES_DIR = str(Path(__file__).resolve().parent.parent / "courses")
    # Uploads: limits checked before and while a spreadsheet is read; pending files' cap and age.
    SPREADSHEET_MAX_UNPACKED_BYTES = 64 * 1000 * 1000
    HISTORY_IMPORT_MAX_ROWS = 200_000
    HISTORY_IMPORT_MAX_UNPACKED_BYTES = 256 * 1000 * 1000
    PENDING_UPLOADS_MAX_BYTES = 200 * 1000 * 1000
    PENDING_UPLOAD_MAX_AGE_HOURS = 24
    # Audit entries older than this are deleted by `flask privacy purge` (run daily).
    AUDIT_RETENTION_DAYS = 730


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
    if env.get("MAIL_PORT"):
        config["MAIL_PORT"] = int(env["MAIL_PORT"])
    if env.get("MAIL_USE_TLS"):
        config["MAIL_USE_TLS"] = env["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    config["OUTBOX_DIR"] = env.get("OUTBOX_DIR", str(instance_path / "outbox"))
    if env.get("RATELIMIT_STORAGE_URI"):
        config["RATELIMIT_STORAGE_URI"] = env["RATELIMIT_STORAGE_URI"]
    config["SECRET_KEY"] = env.get("SECRET_KEY") or None


def normalise_database_url(url: str) -> str:
    """Let a plain postgresql:// URL use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ensure_secret_key(config: dict, instance_path: Path) -> None:
    """Use the configured key; in development generate one and keep it in the instance folder."""
    if config.get("SECRET_KEY"):
        return
    if config.get("ENV_NAME") == "production":
        raise RuntimeError("SECRET_KEY must be set in production.")
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    config["SECRET_KEY"] = key_file.read_text().strip()
