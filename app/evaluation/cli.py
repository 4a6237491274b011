"""`flask evaluation …`: send the reaction survey's reminders (run daily, like a cron job)."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.evaluation import services
from app.shared.unit_of_work import cli_unit_of_work

evaluation_cli = AppGroup("evaluation", help="Surveys, knowledge tests and their reminders.")


@evaluation_cli.command("remind")
def remind_command() -> None:
    """Queue the survey reminders that are due: two per session, then no more."""
    with cli_unit_of_work():
        count = services.schedule_reminders(services.REACTION)
    click.echo(f"{count} reminders queued.")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(evaluation_cli)
