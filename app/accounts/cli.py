"""`flask users …` and `flask tokens …` commands."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.accounts import services
from app.shared.roles import RoleCode
from app.shared.unit_of_work import cli_unit_of_work

users_cli = AppGroup("users", help="Manage accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens for the reporting API.")


@users_cli.command("create")
@click.option("--email", required=True, help="Login email (unique, case-insensitive).")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([code.value for code in RoleCode]),
    help="Role code; repeat for several roles.",
)
@click.password_option(help="Asked for when not given.", confirmation_prompt=True)
def create_user_command(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    """Create an account with one or more roles."""
    with cli_unit_of_work():
        user = services.create_user(email, name, set(roles), password)
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))}).")


@tokens_cli.command("create")
@click.option("--email", required=True, help="The programme manager who will use the token.")
@click.option("--label", default="Command line", show_default=True, help="What it is for.")
def create_token_command(email: str, label: str) -> None:
    """Create an API token for a manager and print it once."""
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    with cli_unit_of_work():
        raw = services.create_api_token(user, label)
    click.echo(raw)
    click.echo("Keep it safe: it is shown only this once.", err=True)


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
