"""`flask certificates …` commands: issue a session's certificates, export one, remind holders."""

from datetime import timedelta
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app.certificates import batches, services
from app.shared.unit_of_work import cli_unit_of_work

certificates_cli = AppGroup("certificates", help="Issue, export and follow up certificates.")


@certificates_cli.command("issue")
@click.argument("session_code")
@click.option("--no-email", is_flag=True, help="Do not email the holders.")
def issue_command(session_code: str, no_email: bool) -> None:
    """Issue every certificate due in a completed session and print their numbers."""
    training_session = services.session_coded(session_code)
    if training_session is None:
        raise click.ClickException(f"No session with code {session_code!r}.")
    with cli_unit_of_work():
        issued = services.issue_for_session(training_session, None, notify=not no_email)
    for certificate in issued:
        click.echo(certificate.number)
    click.echo(f"{len(issued)} certificates issued for {training_session.code}.", err=True)


@certificates_cli.command("pdf")
@click.argument("number")
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
def pdf_command(number: str, output: Path) -> None:
    """Write the PDF of certificate NUMBER exactly as issued."""
    certificate = services.certificate_numbered(number)
    if certificate is None:
        raise click.ClickException(f"No certificate numbered {number!r}.")
    output.write_bytes(certificate.pdf)
    click.echo(f"Wrote {output} ({len(certificate.pdf)} bytes, sha256 {certificate.sha256}).")


@certificates_cli.command("remind-expiring")
@click.option("--days", default=60, show_default=True, type=click.IntRange(min=0))
def remind_expiring_command(days: int) -> None:
    """Email holders whose certificates expire within DAYS days (once per certificate)."""
    with cli_unit_of_work():
        reminded = services.remind_expiring(days)
    for certificate in reminded:
        click.echo(f"{certificate.number} expires {certificate.expires_on.isoformat()}")
    click.echo(f"{len(reminded)} reminders sent.", err=True)


@certificates_cli.command("sweep")
@click.option(
    "--older-than",
    default=int(batches.STALE_AFTER.total_seconds()),
    show_default=True,
    type=click.IntRange(min=0),
    help="Seconds without progress after which a batch is taken as abandoned.",
)
def sweep_command(older_than: int) -> None:
    """Queue again the certificate batches whose worker stopped (killed, machine lost)."""
    with cli_unit_of_work():
        stale = batches.requeue_stale(timedelta(seconds=older_than))
    for batch in stale:
        click.echo(f"batch {batch.id} ({batch.kind}, {batch.done}/{batch.total}) queued again")
    click.echo(f"{len(stale)} stale batches queued again.", err=True)


def register(app: Flask) -> None:
    """Attach the certificates command group to the app."""
    app.cli.add_command(certificates_cli)
