"""`flask credentials …`: make and rotate the issuer key, export a credential, catch up."""

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app.certificates.cli import certificates_cli
from app.certificates.services import certificate_numbered
from app.credentials import keys, services
from app.shared.unit_of_work import cli_unit_of_work

credentials_cli = AppGroup("credentials", help="Issuer key and Open Badges 3.0 credentials.")


@credentials_cli.command("init-key")
def init_key_command() -> None:
    """Make the issuer's first Ed25519 key (refused when one exists: use rotate-key)."""
    if keys.signing_key() is not None:
        raise click.ClickException("An issuer key exists; use `flask credentials rotate-key`.")
    with cli_unit_of_work():
        key = keys.create_key()
        method = services.verification_method(key)
    click.echo(f"Created {method}")


@credentials_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Sign from now on with a new key; older keys stay published and keep verifying."""
    if keys.signing_key() is None:
        raise click.ClickException("No issuer key yet; use `flask credentials init-key`.")
    with cli_unit_of_work():
        key = keys.create_key()
        method = services.verification_method(key)
        lists = services.rebuild_all_status_lists()
    click.echo(f"Now signing with {method}; {lists} status lists re-signed.")


@credentials_cli.command("export")
@click.argument("number")
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
def export_command(number: str, output: Path) -> None:
    """Write the signed credential of certificate NUMBER as JSON."""
    certificate = certificate_numbered(number)
    credential = services.credential_of(certificate) if certificate else None
    if credential is None:
        raise click.ClickException(f"No credential for certificate {number!r}.")
    output.write_text(json.dumps(credential.document, indent=2, ensure_ascii=False) + "\n")
    click.echo(f"Wrote {output} ({credential.document['id']}).")


@credentials_cli.command("issue-missing")
def issue_missing_command() -> None:
    """Issue credentials for live certificates issued before the key existed."""
    with cli_unit_of_work():
        count = services.issue_missing()
    click.echo(f"{count} credentials issued.")


@credentials_cli.command("rebuild-status")
def rebuild_status_command() -> None:
    """Re-sign every status list from its bits (what the job does after each revocation)."""
    with cli_unit_of_work():
        count = services.rebuild_all_status_lists()
    click.echo(f"{count} status lists re-signed.")


def register(app: Flask) -> None:
    """Add the `flask credentials` commands, and `flask certificates credential` beside `pdf`."""
    app.cli.add_command(credentials_cli)
    certificates_cli.add_command(export_command, "credential")
