"""The page scripts' strings come translated from the gettext catalogues, counts by plural rule."""

import json
import re

import pytest
from flask_babel import force_locale

from app.i18n.scripts import plural_samples, script_strings


def _strings_on(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="script-strings">(.*?)</script>', page)
    assert block, "the page carries no script strings"
    return json.loads(block.group(1))


def test_the_arabic_catalogue_has_the_arabic_strings(app):
    with app.test_request_context(), force_locale("ar"):
        strings = script_strings()
    assert strings["locale"] == "ar"
    assert strings["texts"]["cancel"] == "إلغاء الأمر"
    assert "الهاتف" in strings["texts"]["marks_failed"]
    # Six plural forms, one per CLDR category the browser's Intl.PluralRules names.
    assert set(strings["counted"]["marks_pending"]) == {
        "zero",
        "one",
        "two",
        "few",
        "many",
        "other",
    }


@pytest.mark.parametrize(
    ("language", "categories"),
    [
        ("en", {"one": 1, "other": 0}),
        ("fr", {"one": 0, "other": 2}),
        ("ar", {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}),
    ],
)
def test_each_plural_category_gets_a_count_of_its_own(language, categories):
    assert plural_samples(language) == categories


def test_a_page_carries_its_languages_strings(client):
    client.post("/language", data={"language": "fr", "next": "/"})
    page = client.get("/login").get_data(as_text=True)
    strings = _strings_on(page)
    assert strings["locale"] == "fr"
    assert strings["texts"]["cancel"] == "Annuler"
    assert strings["texts"]["filter"] == "Tapez pour filtrer la liste"
