"""`flask demo load`: demonstration data for a first look (professional training only)."""

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("load")
def load_demo_command() -> None:
    """Load demo data once; running it again changes nothing."""
    click.echo("No demo data yet.")
