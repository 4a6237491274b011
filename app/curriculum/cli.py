"""`flask courses sync`: load courses/*.yaml into the catalogue."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.curriculum.sync import CourseFileError, sync_courses
from app.extensions import db

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
    try:
        report = sync_courses(directory, dry_run=dry_run)
    except CourseFileError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.secho(str(problem), fg="red", err=True)
        count = len(exc.problems)
        noun = "problem" if count == 1 else "problems"
        raise click.ClickException(f"{count} {noun} found; nothing was changed.") from exc
    for change in report.changes:
        if change.action != "unchanged":
            click.echo(str(change))
    for warning in report.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    click.echo(report.summary())
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was written.")
    else:
        db.session.commit()


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(courses_cli)
