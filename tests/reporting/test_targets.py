"""The shipped target list is INTERPOL's membership, and the CLI names each country."""

import re

from app.extensions import db
from app.reporting import services
from app.reporting.models import TargetCountry
from app.reporting.regions import INTERPOL_FILE, interpol_members


def test_palau_is_a_member_and_tuvalu_is_not():
    members = interpol_members()
    assert len(members) == len(set(members)) == 196
    assert "PW" in members  # admitted by the General Assembly in November 2023
    assert "TV" not in members
    assert "KP" not in members
    assert {"AW", "CW", "SX", "PS", "VA"} <= set(members)


def test_list_is_dated_after_palau_joined():
    header = [
        line for line in INTERPOL_FILE.read_text(encoding="utf-8").splitlines() if line[0] == "#"
    ]
    dated = re.search(r"as of (\d{4}-\d{2}-\d{2})", " ".join(header))
    assert dated
    assert dated.group(1) >= "2023-11-28"
    assert "2024-11-30" not in " ".join(header)


def test_cli_prints_code_and_name_of_every_target(app, runner):
    result = runner.invoke(args=["reports", "targets", "--reset"])
    assert result.exit_code == 0, result.output
    assert "Reset the target list to 196 countries:" in result.output
    assert "  PW  Palau\n" in result.output
    assert "  KE  Kenya\n" in result.output
    assert "TV" not in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert len(rows) == 196
    assert db.session.query(TargetCountry).count() == 196


def test_cli_lists_a_changed_list(app, runner):
    services.set_targets(["KE", "FJ"])
    db.session.commit()
    result = runner.invoke(args=["reports", "targets"])
    assert result.output.splitlines() == [
        "The target list has 2 countries:",
        "  FJ  Fiji",
        "  KE  Kenya",
    ]
