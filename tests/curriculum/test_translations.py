"""Course files in several languages: what sync refuses, what it stores, how texts fall back."""

from pathlib import Path

import pytest

from app.curriculum.sync import CourseFileError, read_courses, sync_courses
from app.curriculum.text import localised
from app.extensions import db
from tests import factories
from tests.curriculum.helpers import COURSES_DIR, course_data, get_course, write_course

FRENCH = {
    "title": "Cours Alpha",
    "summary": "Un cours utilisé par les tests du programme.",
    "modules": [
        {"slug": "intro", "title": "Introduction", "objectives": ["Décrire le champ du cours."]},
        {
            "slug": "evidence",
            "title": "Preuves numériques",
            "objectives": [
                "Documenter la chaîne de possession.",
                "Demander un examen criminalistique.",
            ],
        },
        {"slug": "covert", "title": "Opérations d'infiltration en ligne"},
    ],
}


def translated(**languages) -> dict:
    """Return the test course with these translations (language code -> texts)."""
    return course_data(translations=languages)


@pytest.fixture
def problems_of(tmp_path, monkeypatch):
    """Return a function giving the problems sync reports for one course file, as printed."""
    monkeypatch.chdir(tmp_path)  # files are named as the CLI names them: courses/alpha.yaml
    return lambda data: _problems(tmp_path / "courses", data)


def _problems(folder: Path, data: dict) -> list[str]:
    write_course(folder, data)
    with pytest.raises(CourseFileError) as caught:
        read_courses(folder, locales=("en", "fr", "es", "ar"))
    return [str(problem) for problem in caught.value.problems]


def test_a_translated_module_list_missing_a_module_is_refused(problems_of):
    french = dict(FRENCH, modules=FRENCH["modules"][:2])
    problems = problems_of(translated(fr=french))
    assert any(
        p.startswith(
            "courses/alpha.yaml: translations.fr.modules: lists 2 modules but the course has 3"
        )
        and "missing: covert" in p
        for p in problems
    ), problems


def test_translated_modules_out_of_order_are_refused_naming_the_module(problems_of):
    french = dict(
        FRENCH, modules=[FRENCH["modules"][1], FRENCH["modules"][0], FRENCH["modules"][2]]
    )
    problems = problems_of(translated(fr=french))
    assert (
        "courses/alpha.yaml: translations.fr.modules[0].slug: "
        "'evidence' is not modules[0] (intro); translate the modules in the course's order"
    ) in problems


def test_an_unknown_language_is_refused(problems_of):
    problems = problems_of(translated(de=FRENCH))
    assert problems == [
        "courses/alpha.yaml: translations.de: "
        "'de' is not a language the platform speaks (en, fr, es, ar)"
    ]
    assert "is not an ISO 639-1" in problems_of(translated(french=FRENCH))[0]


def test_a_translation_into_the_main_language_is_refused(problems_of):
    problems = problems_of(translated(en=FRENCH))
    assert problems == [
        "courses/alpha.yaml: translations.en: "
        "'en' is the course's main language (the first of languages)"
    ]


def test_missing_required_keys_name_the_file_language_and_module(problems_of):
    modules = [dict(FRENCH["modules"][0]), {"slug": "evidence"}, dict(FRENCH["modules"][2])]
    problems = problems_of(translated(es={"summary": "Un curso.", "modules": modules}))
    assert "courses/alpha.yaml: translations.es.title: is required" in problems
    assert (
        "courses/alpha.yaml: translations.es.modules[1].title: is required (module evidence)"
        in problems
    )


def test_a_translated_module_needs_every_objective(problems_of):
    modules = [dict(m) for m in FRENCH["modules"]]
    modules[1]["objectives"] = ["Documenter la chaîne de possession."]
    problems = problems_of(translated(fr=dict(FRENCH, modules=modules)))
    assert problems == [
        "courses/alpha.yaml: translations.fr.modules[1].objectives: has 1 objectives but module "
        "evidence has 2"
    ]


def test_unknown_keys_in_a_translation_are_refused(problems_of):
    modules = [dict(m) for m in FRENCH["modules"]]
    modules[0]["hours"] = 3
    problems = problems_of(translated(fr=dict(FRENCH, titel="x", modules=modules)))
    assert any(
        p.startswith("courses/alpha.yaml: translations.fr.titel: unknown key") for p in problems
    )
    assert any(
        p.startswith("courses/alpha.yaml: translations.fr.modules[0].hours: unknown key")
        and p.endswith("(module intro)")
        for p in problems
    ), problems


@pytest.fixture
def folder(tmp_path) -> Path:
    directory = tmp_path / "courses"
    write_course(directory, translated(fr=FRENCH))
    return directory


def test_each_field_falls_back_alone_to_the_main_language(app, tmp_path):
    french = {"title": "Cours Alpha", "modules": [dict(m) for m in FRENCH["modules"]]}
    write_course(tmp_path / "courses", translated(fr=french))
    sync_courses(tmp_path / "courses")
    text = localised(get_course("alpha").current_version, "fr")
    assert text.title == "Cours Alpha"
    assert text.summary == "A course used by the curriculum tests."  # not translated
    assert text.module("evidence").title == "Preuves numériques"
    assert text.module("evidence").objectives[0] == "Documenter la chaîne de possession."
    covert = text.module("covert")
    assert covert.title == "Opérations d'infiltration en ligne"
    assert covert.objectives == ("Plan an authorised covert operation.",)  # not translated
    assert [m.slug for m in text.modules] == ["intro", "evidence", "covert"]


def test_an_untranslated_language_reads_as_written(app, folder):
    sync_courses(folder)
    version = get_course("alpha").current_version
    for lang in ("ar", None, "pt"):
        text = localised(version, lang)
        assert (text.title, text.module("intro").title) == ("Alpha course", "Introduction")


def test_translations_do_not_make_a_new_version_and_reach_past_versions(app, folder):
    """Translations say how the content reads, not what it teaches, like alternative groups."""
    sync_courses(folder)
    old = factories.make_training_session(course=get_course("alpha"))
    db.session.commit()
    data = course_data(version="1.1")
    data["modules"][0]["hours"] = 3  # a content change: version 2, the same texts
    write_course(folder, dict(data, translations={"fr": FRENCH}))
    sync_courses(folder)
    db.session.commit()

    retitled = dict(
        FRENCH, title="Cours Alpha (révisé)", modules=[dict(m) for m in FRENCH["modules"]]
    )
    retitled["modules"][0]["title"] = "Ouverture"
    write_course(folder, dict(data, translations={"fr": retitled}))
    report = sync_courses(folder)
    db.session.commit()

    assert "new version" not in str(report.changes[0])
    assert "changed translations" in str(report.changes[0])
    assert "module translations set on 2 version(s)" in str(report.changes[0])
    course = get_course("alpha")
    assert len(course.versions) == 2
    db.session.refresh(old)
    past = localised(old.course_version, "fr")
    assert (past.title, past.module("intro").title) == ("Cours Alpha (révisé)", "Ouverture")
    assert sync_courses(folder).unchanged == 1


def test_a_module_reworded_in_the_main_language_keeps_its_old_translation_on_old_versions(
    app, folder
):
    sync_courses(folder)
    data = translated(fr=dict(FRENCH, modules=[dict(m) for m in FRENCH["modules"]]))
    data["modules"][0]["title"] = "Opening"
    data["translations"]["fr"]["modules"][0]["title"] = "Ouverture"
    write_course(folder, data)
    sync_courses(folder)
    first, second = get_course("alpha").versions
    assert localised(first, "fr").module("intro").title == "Introduction"
    assert localised(second, "fr").module("intro").title == "Ouverture"


def test_a_translated_certificate_title_needs_one_to_translate(problems_of):
    problems = problems_of(translated(fr=dict(FRENCH, certificate_title="Certificat Alpha")))
    assert problems == [
        "courses/alpha.yaml: translations.fr.certificate_title: "
        "the course has no certificate.title to translate"
    ]


def test_the_certificate_title_reads_in_the_language_asked_for(app, tmp_path):
    data = translated(fr=dict(FRENCH, certificate_title="Certificat de fin de formation Alpha"))
    data["certificate"] = {"title": "Alpha certificate"}
    write_course(tmp_path / "courses", data)
    sync_courses(tmp_path / "courses")
    version = get_course("alpha").current_version
    assert localised(version, "fr").certificate_title == "Certificat de fin de formation Alpha"
    assert localised(version, "es").certificate_title == "Alpha certificate"
    assert localised(version, None).certificate_title == "Alpha certificate"


def test_a_course_without_a_certificate_title_has_none_in_any_language(app, folder):
    sync_courses(folder)
    assert localised(get_course("alpha").current_version, "fr").certificate_title is None


def test_the_shipped_courses_are_translated_into_french_spanish_and_arabic():
    for spec in read_courses(COURSES_DIR, locales=("en", "fr", "es", "ar")):
        assert set(spec.translations) == {"fr", "es", "ar"}, spec.file
        for lang in ("fr", "es", "ar"):
            assert spec.translations[lang]["title"] != spec.title, (spec.file, lang)
            assert spec.translations[lang]["summary"], (spec.file, lang)
            for module in spec.modules:
                words = module.translations[lang]
                assert words["title"] and len(words["objectives"]) == len(module.objectives), (
                    spec.file,
                    lang,
                    module.slug,
                )


def test_the_shipped_certificate_titles_are_translated():
    specs = read_courses(COURSES_DIR, locales=("en", "fr", "es", "ar"))
    titled = [spec for spec in specs if spec.certificate["title"]]
    assert titled, "some shipped course names its certificate"
    for spec in titled:
        for lang in ("fr", "es", "ar"):
            translated_title = spec.translations[lang].get("certificate_title")
            assert translated_title and translated_title != spec.certificate["title"], (
                spec.file,
                lang,
            )
