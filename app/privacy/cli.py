"""`flask privacy …` commands, run by a scheduler."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.privacy import services
from app.shared.clock import now
from app.shared.unit_of_work import cli_unit_of_work

privacy_cli = AppGroup("privacy", help="Apply the retention rules to personal data.")


@privacy_cli.command("purge")
def purge_command() -> None:
    """Delete audit entries past AUDIT_RETENTION_DAYS and expired pending uploads."""
    with cli_unit_of_work():
        result = services.purge(now())
    click.echo(f"Deleted {result.audit_entries} audit entries older than {result.cutoff:%Y-%m-%d}.")
    click.echo(f"Deleted {result.pending_uploads} expired pending uploads.")
    click.echo(f"Deleted {result.documents} rendered documents past their retention.")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(privacy_cli)
