"""Every catalogue translates every string of the template, none fuzzy (what CI also checks)."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "check_translations.py"
spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

CATALOGUES = sorted(check.TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def test_there_is_a_catalogue_per_language_but_english(app):
    assert {path.parts[-3] for path in CATALOGUES} == set(app.config["LANGUAGES"]) - {"en"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_the_catalogue_is_complete(path):
    assert check.catalogue_problems(path, check.read(check.TEMPLATE)) == []


def test_a_fuzzy_or_empty_entry_is_reported(tmp_path):
    po = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Save"\nmsgstr "Enregistrer"\n\n'
        'msgid "Cancel"\nmsgstr ""\n',
        encoding="utf-8",
    )
    template = check.read(check.TEMPLATE)
    found = check.catalogue_problems(po, template)
    assert "xx: fuzzy: 'Save'" in found
    assert "xx: untranslated: 'Cancel'" in found
    assert any(line.startswith("xx: not in the catalogue:") for line in found)
