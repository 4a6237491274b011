"""The history template's header is in the manager's language, and re-imports in any language."""

import pytest
from flask_babel import force_locale

from app.history.services import COLUMNS, HEADINGS, heading_aliases
from app.shared.imports import alias_lookup, column_name
from tests.history.helpers import COURSE_SLUG, course
from tests.history.test_views import app_overrides, upload  # noqa: F401 - the fixture

FRENCH = "Cours,Session,Pays hôte,Ville,Premier jour,Dernier jour,Nom complet,Courriel"


@pytest.mark.parametrize(("language", "start"), [("fr", FRENCH), ("ar", "المقرر,")])
def test_a_template_in_another_language_imports(app, client, as_role, language, start):
    course()
    as_role("manager")
    client.set_cookie("language", language)
    template = client.get("/history/import/template.csv").data.decode("utf-8-sig")
    header, example = template.splitlines()[:2]
    assert header.startswith(start) and "session_code" not in header
    assert example.startswith(f"{COURSE_SLUG},CYB-2019-KE-01,KE,Nairobi,2019-03-04,2019-03-08")
    assert example.endswith(",police,yes")  # codes, ISO dates and yes/no are not translated
    client.set_cookie("language", "en")  # an English-speaking colleague imports it
    response = upload(client, template.encode(), "past-trainings-template.csv")
    page = response.get_data(as_text=True)
    assert "The file is valid" in page and "lacks the column" not in page


def test_every_heading_names_one_column_in_every_language(app):
    lookup = alias_lookup(COLUMNS, heading_aliases())
    assert {lookup[column] for column in COLUMNS} == set(COLUMNS)  # canonical names still work
    for language in ("en", "fr", "es", "ar"):
        with force_locale(language):
            names = [column_name(str(HEADINGS[column])) for column in COLUMNS]
        assert len(set(names)) == len(COLUMNS), language
        assert [lookup[name] for name in names] == list(COLUMNS), language
