"""`flask reports` commands: reach, targets, bump (cache) and map-sheet."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from app.reporting import freshness, mapdata, queries, services
from app.reporting.filters import FilterError, parse_filters
from app.shared.countries import country_name
from app.shared.unit_of_work import cli_unit_of_work

reports_cli = AppGroup("reports", help="Programme reach reports.")


@reports_cli.command("reach")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--from", "date_from", help="Sessions starting on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Sessions starting on or before (YYYY-MM-DD).")
@click.option("--course", help="Course slug.")
@click.option(
    "--region",
    help="UN M49 region, grouping (202, 419) or sub-region (code or English name).",
)
@click.option("--agency-type", help="Agency type code (police, prosecution, ...).")
@click.option("--partner", help="Partner organisation id or name.")
@click.option("--host-country", help="Host country (alpha-2, alpha-3 or name).")
@click.option("--country", help="Country of service (alpha-2, alpha-3 or name).")
def reach_command(as_json: bool, **options: str | None) -> None:
    """Print the programme's reach: people trained, countries, sessions, host countries."""
    args = {
        "from": options["date_from"],
        "to": options["date_to"],
        "course": options["course"],
        "region": options["region"],
        "agency_type": options["agency_type"],
        "partner": options["partner"],
        "host_country": options["host_country"],
        "country": options["country"],
    }
    try:
        filters = parse_filters({key: value for key, value in args.items() if value})
    except FilterError as exc:
        raise click.BadParameter(
            exc.message, param_hint=f"--{exc.field.replace('_', '-')}"
        ) from exc
    reach = services.compute_reach(filters, queries.API_PARTS)
    document = reach.api_json()  # the document GET /api/v1/reports/reach answers
    if as_json:
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    click.echo(f"Filters: {filters.describe_text()}")
    for key, label in document["labels"].items():
        click.echo(f"{label}: {document[key]}")
    for row in document["by_country"]:
        click.echo(f"  {row['country']}  {row['participants_trained']:>7}")


@reports_cli.command("targets")
@click.option("--reset", is_flag=True, help="Replace the list with INTERPOL's member countries.")
def targets_command(reset: bool) -> None:
    """List the target countries (code and name), or reset them to the shipped INTERPOL list."""
    with cli_unit_of_work():
        codes = services.reset_targets() if reset else services.ensure_targets()
    verb = "Reset the target list to" if reset else "The target list has"
    click.echo(f"{verb} {len(codes)} countries:")
    for code in sorted(codes):
        click.echo(f"  {code}  {country_name(code)}")


@reports_cli.command("bump")
def bump_command() -> None:
    """Mark the cached reach figures stale after writing to the database outside the app."""
    with cli_unit_of_work():
        freshness.bump(db.session())
    click.echo("Reach figures will be computed afresh.")


@reports_cli.command("map-sheet")
def map_sheet_command() -> None:
    """Write the dashboard's static map sheet from the shipped map (after rebuilding it)."""
    click.echo(f"Wrote {mapdata.write_symbol_sheet()}")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(reports_cli)
