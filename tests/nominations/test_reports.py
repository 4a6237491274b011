"""A call's report (countries, acceptance, days to nominate) and reach's countries engaged."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from app.extensions import db
from app.nominations import reports, services
from tests import factories
from tests.nominations.helpers import nominated, scene, vetted


def _call_with_figures():
    s = scene(seats={"KE": 2, "UG": 2, "TZ": 1})
    first, second = nominated(s, "KE"), nominated(s, "KE")
    third = nominated(s, "UG")
    for nomination, days in ((first, 1), (second, 2), (third, 6)):
        nomination.created_at = s.call.opened_at + timedelta(days=days)
    vetted(s, first)
    services.accept(first, s.trainer)
    db.session.commit()
    return s


def test_the_call_report_counts_countries_acceptance_and_days_to_nominate(app):
    s = _call_with_figures()
    report = reports.call_report(s.call)
    assert sorted((t.country_code, t.nominated, t.accepted) for t in report.tallies) == [
        ("KE", 2, 1),
        ("TZ", 0, 0),
        ("UG", 1, 0),
    ]
    assert report.silent == ["TZ"]
    assert report.acceptance_rate == 1 / 3
    assert round(report.median_days, 3) == 2
    assert round(report.mean_days, 3) == 3


def test_the_review_page_shows_the_report_and_the_csv_is_in_the_exporters_language(
    client, login
):
    s = _call_with_figures()
    login(s.trainer)
    page = client.get(f"/nominations/calls/{s.call.id}/review").get_data(as_text=True)
    assert "1 invited country has not nominated yet" in page
    assert "Tanzania (" in page  # with the seats it was offered
    assert "33%" in page
    s.trainer.language = "fr"
    db.session.commit()
    response = client.get(f"/nominations/calls/{s.call.id}/report.csv")
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "Pays"
    assert ["Kenya", "KE", "2", "2", "1"] in rows


def _engaged(client, query: str = "") -> int:
    page = client.get(f"/reach{query}").get_data(as_text=True)
    return int(re.search(r'data-figure="countries_engaged">(\d+)<', page).group(1))


def test_reach_shows_a_new_nomination_among_the_countries_engaged_at_once(client, login):
    s = scene()
    nominated(s, "KE")
    db.session.commit()
    login(factories.make_user(roles=("manager",)))
    db.session.commit()
    assert _engaged(client) == 1
    assert _engaged(client, "?country=UG") == 0
    nominated(s, "UG")
    db.session.commit()
    assert _engaged(client) == 2  # the reach cache did not hold the figure back
    assert _engaged(client, "?country=UG") == 1
