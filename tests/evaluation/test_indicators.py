"""Level 4: country indicators entered with their sources, shown on the country page and PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.accounts.focal_points import set_focal_point_scope
from app.evaluation import indicators
from app.extensions import db
from tests import factories
from tests.documents.helpers import fetch_document

FIGURES = {
    "v_specialised_unit": "1",
    "s_specialised_unit": "Ministry of Interior annual report 2025",
    "v_cases_investigated": "1234",
    "s_cases_investigated": "National police statistics 2025",
    "v_victims_identified": "",
    "s_victims_identified": "",
    "v_child_protection_referrals": "",
    "s_child_protection_referrals": "",
}


def _focal_point(*countries: str):
    user = factories.make_user(roles=("focal_point",))
    set_focal_point_scope(user, countries)
    db.session.commit()
    return user


def test_a_manager_enters_figures_with_sources_and_they_show_on_the_country_page_and_pdf(
    app, client, login
):
    manager = factories.make_user(roles=("manager",))
    db.session.commit()
    login(manager)
    page = client.post("/evaluation/indicators/KE/2025", data=FIGURES, follow_redirects=True)
    assert "Indicators saved for Kenya, 2025." in page.get_data(as_text=True)
    country = client.get("/reach/countries/KE").get_data(as_text=True)
    assert "1,234" in country and "National police statistics 2025" in country
    assert "Ministry of Interior annual report 2025" in country
    pdf = fetch_document(client, "/reach/report.pdf").data
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Country indicators (latest year reported)" in text and "1,234" in text
    elsewhere = fetch_document(client, "/reach/report.pdf?country=UG").data
    assert "1,234" not in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(elsewhere)).pages)

    cleared = {**FIGURES, "v_cases_investigated": ""}
    client.post("/evaluation/indicators/KE/2025", data=cleared)
    assert set(indicators.entries_for("KE", 2025)) == {"specialised_unit"}


def test_a_figure_without_its_source_is_refused_and_nothing_is_kept(app, client, login):
    manager = factories.make_user(roles=("manager",))
    db.session.commit()
    login(manager)
    unsourced = {**FIGURES, "s_cases_investigated": "  "}
    page = client.post("/evaluation/indicators/KE/2025", data=unsourced).get_data(as_text=True)
    assert "Give the source of “Cases investigated”." in page
    assert indicators.entries_for("KE", 2025) == {}
    assert client.get("/evaluation/indicators/KE/1999").status_code == 404
    assert client.get("/evaluation/indicators/XX/2025").status_code == 404


def test_a_focal_point_enters_only_their_own_countries(app, client, login):
    login(_focal_point("KE"))
    assert client.post("/evaluation/indicators/KE/2025", data=FIGURES).status_code == 302
    assert client.post("/evaluation/indicators/UG/2025", data=FIGURES).status_code == 403
    assert indicators.entries_for("UG", 2025) == {}
    index = client.get("/evaluation/indicators").get_data(as_text=True)
    assert '<option value="KE"' in index and '<option value="UG"' not in index
    chosen = client.get("/evaluation/indicators?country=KE&year=2024")
    assert chosen.headers["Location"].endswith("/evaluation/indicators/KE/2024")
    not_theirs = client.get("/evaluation/indicators?country=UG&year=2024")
    assert not_theirs.status_code == 200  # UG is not a choice: the page again, no redirect


def test_an_account_without_countries_enters_none(app, client, login):
    login(factories.make_user(roles=("participant",)))
    assert client.get("/evaluation/indicators").status_code == 403
