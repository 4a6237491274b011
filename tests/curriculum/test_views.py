"""The catalogue pages: list, detail, versions, retired courses and access."""

from pathlib import Path

import pytest

from app.curriculum.sync import sync_courses
from app.extensions import db
from tests.curriculum.helpers import COURSES_DIR, course_data, write_course


@pytest.fixture
def catalogue(app):
    sync_courses(COURSES_DIR)
    db.session.commit()


def test_anonymous_visitors_are_sent_to_login(client, catalogue):
    for url in ("/courses", "/courses/cfcac"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_course_list(client, as_role, catalogue):
    as_role("participant")
    page = client.get("/courses").get_data(as_text=True)
    assert "Investigating Computer-Facilitated Crimes Against Children" in page
    assert "Train-the-Trainer" in page
    assert "Law enforcement" in page  # audience label, not the code
    assert "Prosecutors and judges" in page
    assert "French" in page and "Arabic" in page
    assert ">39<" in page  # CFCAC hours taught per session, the alternatives counted once
    assert 'href="/courses/cfcac"' in page


def test_course_list_filters_by_audience(client, as_role, catalogue):
    as_role("trainer")
    page = client.get("/courses?audience=prosecutors_judges").get_data(as_text=True)
    assert "Prosecuting and Adjudicating" in page
    assert "Computer-Facilitated" not in page
    assert client.get("/courses?audience=nonsense").status_code == 200


def test_course_detail(client, as_role, catalogue):
    as_role("participant")
    page = client.get("/courses/cfcac").get_data(as_text=True)
    assert "Version 2.1" in page
    assert "Attend at least 80% of the days" in page
    assert "Valid for 36 months" in page
    assert "Online grooming and offender behaviour" in page
    assert "Undercover online operations under common-law rules of evidence" in page
    assert "Common law" in page and "Civil law" in page and "All legal systems" in page
    assert "Document the chain of custody from seizure to laboratory and to court." in page
    assert "Taught per session: 39 h" in page
    assert "42 h across all modules, alternatives included" in page
    assert "Common law 39 h" in page and "Civil law 39 h" in page
    assert "Earlier versions" not in page
    assert "courses/cfcac.yaml" not in page  # the source file is for staff only


def test_modules_are_in_order(client, as_role, catalogue):
    as_role("participant")
    page = client.get("/courses/cfcac").get_data(as_text=True)
    assert page.index("Seizure and forensic handling") < page.index("Victim identification")
    assert page.index("Victim identification") < page.index("Integrated case exercise")


def test_staff_see_the_source_file(client, as_role, catalogue):
    as_role("trainer")
    assert "courses/cfcac.yaml" in client.get("/courses/cfcac").get_data(as_text=True)


def test_unknown_course_is_404(client, as_role, catalogue):
    as_role("participant")
    assert client.get("/courses/no-such-course").status_code == 404


def test_older_versions_and_retired_courses(client, as_role, app, tmp_path: Path):
    directory = tmp_path / "courses"
    write_course(directory, course_data())
    write_course(directory, course_data(slug="beta", code="BETA", title="Beta course"))
    sync_courses(directory)
    data = course_data(version="2.0")
    data["modules"][0]["hours"] = 3
    write_course(directory, data)
    (directory / "beta.yaml").unlink()
    sync_courses(directory)
    db.session.commit()

    as_role("participant")
    detail = client.get("/courses/alpha").get_data(as_text=True)
    assert "Version 2.0" in detail
    assert "Earlier versions" in detail
    assert "<td>1.0</td>" in detail
    listing = client.get("/courses").get_data(as_text=True)
    assert "Alpha course" in listing and "Beta course" not in listing
    retired = client.get("/courses/beta").get_data(as_text=True)
    assert "This course has been retired" in retired


def test_empty_catalogue(client, as_role):
    as_role("participant")
    assert "No course in the catalogue yet" in client.get("/courses").get_data(as_text=True)
