"""`flask courses sync`: load courses/*.yaml into the catalogue."""

from pathlib import Path
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.curriculum.sync import CourseFileError, sync_courses
from app.extensions import db
from app.shared.unit_of_work import unit_of_work

courses_cli = AppGroup("courses", help="Course catalogue, kept in courses/*.yaml.")


@courses_cli.command("sync")
@click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of course files (default: courses/ of the project).",
)
def sync_command(dry_run: bool, directory: Path | None) -> None:
    """Validate every course file, then create, update or retire courses."""
    directory = directory or Path(current_app.config["COURSES_DIR"])
    with unit_of_work(show_error=False) as done:
        report = sync_courses(directory, dry_run=dry_run)
        if dry_run:
            db.session.rollback()  # a dry run only reads; make sure nothing is committed
    if done.error is not None:
        _refuse(done.error)
    for change in report.changes:
        if change.action != "unchanged":
            click.echo(str(change))
    for warning in report.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    click.echo(report.summary())
    if dry_run:
        click.echo("Dry run: nothing was written.")


def _refuse(error: CourseFileError) -> NoReturn:
    """List every problem, then exit non-zero: one bad file stops the whole sync."""
    for problem in error.problems:
        click.secho(str(problem), fg="red", err=True)
    noun = "problem" if len(error.problems) == 1 else "problems"
    raise click.ClickException(f"{len(error.problems)} {noun} found; nothing was changed.")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(courses_cli)
