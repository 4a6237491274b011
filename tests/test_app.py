"""The factory's configuration rules and the schema history."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.config import ensure_secret_key, normalise_database_url
from app.extensions import db


def test_database_url_defaults_to_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/training.db")


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_secret_key_is_generated_once_for_development(tmp_path):
    first, second = {"ENV_NAME": "development"}, {"ENV_NAME": "development"}
    ensure_secret_key(first, tmp_path)
    ensure_secret_key(second, tmp_path)
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ensure_secret_key({"ENV_NAME": "production"}, tmp_path)


def test_migrations_build_the_schema_the_models_describe(database_url):
    """`flask db upgrade` on an empty database gives exactly the models' tables and columns."""
    engine = create_engine(database_url)
    with engine.begin() as connection:  # start from an empty database
        db.metadata.drop_all(connection)
    engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(directory=str(Path(__file__).parent.parent / "migrations"))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar()
        db.engine.dispose()
    assert differences == []


def test_migrations_downgrade_to_an_empty_database(database_url):
    from flask_migrate import downgrade
    from sqlalchemy import inspect

    engine = create_engine(database_url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    directory = str(Path(__file__).parent.parent / "migrations")
    with app.app_context():
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert tables == set()
