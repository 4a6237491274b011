"""`flask users …` and `flask tokens …` commands."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.accounts import focal_points, services
from app.shared.agency_types import AgencyType
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
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="A focal point's country (ISO alpha-2 code); repeat for several.",
)
@click.option(
    "--agency-type",
    "agency_types",
    multiple=True,
    type=click.Choice([code.value for code in AgencyType]),
    help="Limit a focal point to an agency type; repeat for several (default: every agency).",
)
@click.option(
    "--deputy-of",
    help="Email of the focal point whose scope this deputy acts with (no --country or "
    "--agency-type of their own).",
)
@click.password_option(help="Asked for when not given.", confirmation_prompt=True)
def create_user_command(
    email: str,
    name: str,
    roles: tuple[str, ...],
    countries: tuple[str, ...],
    agency_types: tuple[str, ...],
    deputy_of: str | None,
    password: str,
) -> None:
    """Create an account with one or more roles (a focal point with countries or a principal)."""
    principal = _account(deputy_of) if deputy_of else None
    if (countries or agency_types or principal) and RoleCode.FOCAL_POINT not in roles:
        raise click.UsageError("--country, --agency-type and --deputy-of need --role focal_point.")
    with cli_unit_of_work():
        user = services.create_user(email, name, set(roles), password)
        if RoleCode.FOCAL_POINT in roles:
            focal_points.set_focal_point_scope(user, countries, agency_types, principal)
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))}).")


def _account(email: str):
    """Return the account with this email, or stop the command saying there is none."""
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    return user


@tokens_cli.command("create")
@click.option("--email", required=True, help="The programme manager who will use the token.")
@click.option("--label", default="Command line", show_default=True, help="What it is for.")
def create_token_command(email: str, label: str) -> None:
    """Create an API token for a manager and print it once."""
    user = _account(email)
    with cli_unit_of_work():
        raw = services.create_api_token(user, label)
    click.echo(raw)
    click.echo("Keep it safe: it is shown only this once.", err=True)


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
