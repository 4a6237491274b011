"""`flask evaluation …`: send the surveys' follow-ups and reminders (run it daily, from cron)."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.evaluation import services
from app.shared.unit_of_work import cli_unit_of_work

evaluation_cli = AppGroup("evaluation", help="Surveys, knowledge tests and their reminders.")


@evaluation_cli.command("remind")
def remind_command() -> None:
    """Queue the survey emails due today: follow-ups and reminders, each sent once."""
    with cli_unit_of_work():
        count = services.schedule_messages()
    click.echo(f"{count} survey emails queued.")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(evaluation_cli)
