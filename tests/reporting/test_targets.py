"""The shipped target list is INTERPOL's membership, and the CLI names each country."""

import re

from app.extensions import db
from app.reporting import services
from app.reporting.models import TargetCountry
from app.shared.countries import country_choices, country_name
from app.shared.regions import INTERPOL_FILE, interpol_members


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


def test_target_choices_group_every_country_once_and_mark_the_targets(app):
    services.set_targets(["KE", "FJ"])
    db.session.commit()
    choices = services.target_choices()
    placed = [
        code
        for group in choices.groups
        for sub in group["sub_regions"]
        for code in sub["countries"]
    ]
    everyone = placed + choices.unplaced
    assert len(everyone) == len(set(everyone)) == len(country_choices())
    assert choices.selected == {"KE", "FJ"}
    eastern_africa = next(
        sub["countries"]
        for group in choices.groups
        for sub in group["sub_regions"]
        if "KE" in sub["countries"]
    )
    assert eastern_africa == sorted(eastern_africa, key=country_name)


def test_cli_refusing_a_change_exits_non_zero_and_keeps_the_list(app, runner, monkeypatch):
    services.set_targets(["KE"])
    db.session.commit()

    def broken() -> list[str]:
        services.set_targets(["FJ"])
        raise services.ReportingError("The shipped list cannot be read.")

    monkeypatch.setattr(services, "reset_targets", broken)
    result = runner.invoke(args=["reports", "targets", "--reset"])
    assert result.exit_code == 1
    assert "The shipped list cannot be read." in result.output
    db.session.expire_all()
    assert [t.country_code for t in db.session.query(TargetCountry)] == ["KE"]
