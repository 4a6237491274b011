"""Counts read right in each language: Arabic's six forms, French's singular zero, Spanish's plural.

The pages use ngettext; the scripts pick the same form with Intl.PluralRules (checked here too).
"""

import json
import shutil
import subprocess

import pytest
from babel import Locale
from flask_babel import force_locale, ngettext

COUNTS = [0, 1, 2, 3, 11, 100]

CERTIFICATES = ("%(num)d certificate issued.", "%(num)d certificates issued.")
PEOPLE = ("%(num)d person updated.", "%(num)d people updated.")

EXPECTED = {
    ("ar", CERTIFICATES): [
        "لم تُصدر أي شهادة (0).",
        "صدرت شهادة واحدة.",
        "صدرت شهادتان.",
        "صدرت 3 شهادات.",
        "صدرت 11 شهادةً.",
        "صدرت 100 شهادة.",
    ],
    ("ar", PEOPLE): [
        "لم يُحدَّث أي شخص.",
        "تم تحديث شخص واحد.",
        "تم تحديث شخصين.",
        "تم تحديث 3 أشخاص.",
        "تم تحديث 11 شخصًا.",
        "تم تحديث 100 شخص.",
    ],
    ("fr", CERTIFICATES): [
        "0 certificat délivré.",
        "1 certificat délivré.",
        "2 certificats délivrés.",
        "3 certificats délivrés.",
        "11 certificats délivrés.",
        "100 certificats délivrés.",
    ],
    ("fr", PEOPLE): [
        "0 personne mise à jour.",
        "1 personne mise à jour.",
        "2 personnes mises à jour.",
        "3 personnes mises à jour.",
        "11 personnes mises à jour.",
        "100 personnes mises à jour.",
    ],
    ("es", CERTIFICATES): [
        "0 certificados emitidos.",
        "1 certificado emitido.",
        "2 certificados emitidos.",
        "3 certificados emitidos.",
        "11 certificados emitidos.",
        "100 certificados emitidos.",
    ],
    ("es", PEOPLE): [
        "0 personas actualizadas.",
        "1 persona actualizada.",
        "2 personas actualizadas.",
        "3 personas actualizadas.",
        "11 personas actualizadas.",
        "100 personas actualizadas.",
    ],
}


@pytest.mark.parametrize(
    ("language", "message"), EXPECTED, ids=lambda v: v if isinstance(v, str) else v[0][8:20]
)
def test_ngettext_chooses_the_languages_form_at_each_count(app, language, message):
    with app.test_request_context(), force_locale(language):
        said = [ngettext(*message, count) for count in COUNTS]
    assert said == EXPECTED[language, message]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js has the browser's Intl")
@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_the_scripts_plural_category_is_the_catalogues(language):
    script = (
        f"const rules = new Intl.PluralRules({json.dumps(language)});"
        f"process.stdout.write(JSON.stringify({json.dumps(COUNTS)}.map(n => rules.select(n))));"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    rule = Locale.parse(language).plural_form
    assert json.loads(done.stdout) == [rule(count) for count in COUNTS]
