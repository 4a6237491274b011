"""`flask import history FILE`: load past trainings from a CSV or XLSX file."""

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from app.history import services
from app.shared.unit_of_work import cli_unit_of_work

import_cli = AppGroup("import", help="Import records from files.")


@import_cli.command("history")
@click.argument(
    "path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Check the file and show the counts; write nothing.")
def import_history_command(path: Path, dry_run: bool) -> None:
    """Import past trainings from FILE (.csv or .xlsx); all rows or none."""
    with cli_unit_of_work():
        report = services.import_history(path.name, path.read_bytes(), write=not dry_run)
        if not report.ok:
            _refuse(report)
        if dry_run:
            db.session.rollback()  # a dry run keeps nothing it looked up
    if dry_run:
        click.echo(f"Dry run: {_rows(report.rows)} checked in {report.filename}; nothing written.")
    else:
        click.echo(f"Imported {_rows(report.rows)} from {report.filename}.")
    for line in report.summary_lines():
        click.echo(line)


def _refuse(report: services.ImportReport) -> None:
    """List the rows in error, then refuse the whole file."""
    for error in report.shown_errors:
        click.echo(str(error), err=True)
    if report.hidden_error_count:
        click.echo(f"… and {report.hidden_error_count} more.", err=True)
    raise services.HistoryImportError(
        f"{len(report.errors)} error(s) in {report.filename}; nothing was imported."
    )


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(import_cli)
