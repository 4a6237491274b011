"""Application factory for the training platform."""

import os
from pathlib import Path
from types import SimpleNamespace

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from app import errors
from app.config import (
    Defaults,
    apply_deployment_settings,
    ensure_secret_key,
    load_environment,
    programme_name,
)
from app.extensions import babel, cache, compress, csrf, db, limiter, login_manager, migrate
from app.shared import converters, security, static_cache
from app.shared.i18n import select_locale

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = (
    "accounts",
    "curriculum",
    "scheduling",
    "enrolment",
    "attendance",
    "nominations",
    "certificates",
    "credentials",
    "evaluation",
    "history",
    "reporting",
    "audit",
    "privacy",
    "jobs",
    "documents",
    "notifications",
)


def create_app(overrides: dict | None = None) -> Flask:
    """Build a configured app; tests pass overrides."""
    app = Flask(
        __name__,
        # INSTANCE_PATH moves the development database, secret key and outbox (tests use it).
        instance_path=os.environ.get("INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object(Defaults)
    load_environment(app.config, Path(app.instance_path))
    app.config.update(overrides or {})
    ensure_secret_key(app.config, Path(app.instance_path))
    apply_deployment_settings(app.config)
    if app.config["TRUSTED_PROXIES"]:
        # Believe the client address and scheme only from the configured number of proxies.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    cache.init_app(app)
    compress.init_app(app)
    static_cache.init_app(app)
    converters.init_app(app)  # before the blueprints: their rules bind the int converter
    _register_models()
    register_blueprints(app)
    register_cli(app)
    errors.init_app(app)
    security.init_app(app)
    _register_template_helpers(app)
    return app


def _register_models() -> None:
    """Import every domain's models so that metadata and migrations see all tables."""
    from importlib import import_module

    for domain in DOMAINS:
        import_module(f"app.{domain}.models")


def register_blueprints(app: Flask) -> None:
    """Attach each domain's blueprint; a blueprint's name is its package name."""
    from importlib import import_module

    for domain in DOMAINS:
        blueprint = getattr(import_module(f"app.{domain}"), "bp", None)
        if blueprint is not None:  # a domain without pages (jobs) has no blueprint
            app.register_blueprint(blueprint)
    from app.home import bp as home_pages  # not a domain: each role's page, read from all
    from app.i18n import bp as language_switch  # not a domain: the header's language switch

    app.register_blueprint(home_pages)
    app.register_blueprint(language_switch)


def register_cli(app: Flask) -> None:
    """Add each domain's click commands (users, courses, import, certificates, reports, …)."""
    from importlib import import_module

    for domain in DOMAINS:
        try:
            module = import_module(f"app.{domain}.cli")
        except ModuleNotFoundError as exc:
            if exc.name != f"app.{domain}.cli":
                raise
            continue
        module.register(app)
    from app.demo.loader import demo_cli

    app.cli.add_command(demo_cli)


def _template_predicates() -> SimpleNamespace:
    """Assemble the `can.*` table templates call, from each domain's own permissions module."""
    from app.accounts.permissions import (
        can_manage_users,
        is_focal_point,
        is_participant,
        is_staff,
    )
    from app.attendance.permissions import (
        can_call_the_roll_now,
        can_take_roll,
        can_view_attendance,
    )
    from app.certificates.permissions import can_manage_certificates
    from app.curriculum.permissions import can_edit_curriculum
    from app.enrolment.permissions import (
        can_manage_directory,
        can_manage_enrolments,
        can_manage_participants,
        can_request_place,
        can_view_enrolments,
    )
    from app.evaluation.permissions import can_enter_indicators, can_view_programme_evaluation
    from app.history.permissions import can_import_history
    from app.nominations.permissions import can_manage_call, can_manage_calls, can_view_call
    from app.reporting.permissions import can_view_reports
    from app.scheduling.permissions import can_edit_session, can_schedule

    return SimpleNamespace(
        manage_users=can_manage_users,
        edit_curriculum=can_edit_curriculum,
        schedule=can_schedule,
        edit_session=can_edit_session,
        manage_enrolments=can_manage_enrolments,
        request_place=can_request_place,
        manage_participants=can_manage_participants,
        manage_directory=can_manage_directory,
        import_history=can_import_history,
        view_reports=can_view_reports,
        view_programme_evaluation=can_view_programme_evaluation,
        enter_indicators=can_enter_indicators,
        manage_certificates=can_manage_certificates,
        take_roll=can_take_roll,
        call_the_roll_now=can_call_the_roll_now,
        view_enrolments=can_view_enrolments,
        view_attendance=can_view_attendance,
        be_staff=is_staff,
        be_participant=is_participant,
        be_focal_point=is_focal_point,
        manage_calls=can_manage_calls,
        manage_call=can_manage_call,
        view_call=can_view_call,
    )


def _register_template_helpers(app: Flask) -> None:
    """Expose permission predicates and display helpers to every template."""
    from flask_login import current_user

    from app.shared import countries, formatting, tables

    can = _template_predicates()
    # Menu entries: (endpoint, label, who sees it; None for everyone).
    menu = (
        ("enrolment.my_trainings", _l("My trainings"), can.be_participant),
        ("scheduling.training_session_list", _l("Sessions"), can.be_staff),
        ("nominations.focal_calls", _l("Nominations"), can.be_focal_point),
        ("curriculum.course_list", _l("Courses"), None),
        ("enrolment.participant_list", _l("People"), can.manage_participants),
        ("reporting.dashboard", _l("Reach"), can.view_reports),
        ("evaluation.programme_results", _l("Evaluation"), can.view_programme_evaluation),
        ("evaluation.indicator_index", _l("Country indicators"), can.enter_indicators),
        ("history.import_upload", _l("Import history"), can.import_history),
        ("accounts.user_list", _l("Accounts"), can.manage_users),
        ("audit.entry_list", _l("Audit"), can.manage_users),
        ("notifications.email_list", _l("Emails"), can.manage_users),
    )

    def nav_links() -> list[tuple[str, str]]:
        """Return the menu entries the signed-in user may open."""
        return [
            (endpoint, label)
            for endpoint, label, allowed in menu
            if endpoint in app.view_functions and (allowed is None or allowed(current_user))
        ]

    app.jinja_env.globals.update(
        can=can,
        nav_links=nav_links,
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
        country_name=countries.country_name,
        country_label=countries.country_label,
        card_rows=tables.card_rows,
        badge=tables.badge,
        place_line=formatting.place_line,
        programme_name=lambda: programme_name(app.config, str(get_locale() or "en")),
    )
    app.jinja_env.filters.update(
        date_range=formatting.date_range,
        hours=formatting.hours,
        percent=formatting.percent,
        dt=formatting.datetime_short,
        d=formatting.date_long,
    )
