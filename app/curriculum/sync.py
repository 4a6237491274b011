"""Turn courses/*.yaml into Course rows: validate every file first, then create, update or retire.

Parsing and validation are pure functions that report problems as `file: field: message`;
`apply_courses` changes the database (flush only) and `sync_courses` does both. Callers commit.
A change to any module content freezes a new CourseVersion, so sessions keep the version they
were planned with; other changes update the Course in place. Alternative groups say how modules
relate, not what they teach: they are set in place on every version holding those modules, so
past sessions' hours follow. Translations say how the content reads in other languages, not
what it teaches, so they follow the same rule: the course's are set in place, and a module's are
set on every version whose module reads exactly the same in the main language.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pycountry
import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.curriculum.models import Audience, Course, CourseModule, CourseVersion
from app.extensions import db
from app.shared.unit_of_work import DomainError

COURSE_KEYS = {
    "slug": True,
    "title": True,
    "version": True,
    "code": True,
    "summary": True,
    "audiences": True,
    "languages": True,
    "completion_threshold": False,
    "validity_months": False,
    "certificate": False,
    "modules": True,
    "translations": False,
}
MODULE_KEYS = {
    "slug": True,
    "title": True,
    "hours": True,
    "objectives": True,
    "legal_traditions": False,
    "alternative_group": False,
}
CERTIFICATE_KEYS = {"title": False, "signatories": False, "partner_logos": False, "layout": False}
SIGNATORY_KEYS = {"name": True, "title": True, "signature": False}
TRANSLATION_KEYS = {"title": True, "summary": False, "certificate_title": False, "modules": False}
TRANSLATED_MODULE_KEYS = {"slug": True, "title": True, "objectives": False}

MODULE_TRADITIONS = ("common_law", "civil_law", "all")
DEFAULT_THRESHOLD = Decimal("0.8")
MAX_MODULE_HOURS = Decimal(100)
MAX_VALIDITY_MONTHS = 240
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")
IMAGE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:png|jpe?g|svg)$")
LAYOUT_RE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
COURSE_FILE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one course file, named precisely enough to fix it."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.file}: {self.field}: {self.message}"
        return f"{self.file}: {self.message}"


class CourseFileError(DomainError):
    """Raised when any course file is invalid; nothing has been written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# Checks of files that sit beside the courses and refer to them (evaluation instruments);
# the domains that own those files register them, since curriculum imports none of them.
CompanionCheck = Callable[[Path, list["CourseSpec"]], list[Problem]]
_COMPANION_CHECKS: list[CompanionCheck] = []


def register_companion_check(check: CompanionCheck) -> CompanionCheck:
    """Validate another domain's files with the courses, so that one bad file stops the sync."""
    if check not in _COMPANION_CHECKS:
        _COMPANION_CHECKS.append(check)
    return check


@dataclass(frozen=True)
class ModuleSpec:
    """A validated module as written in a course file."""

    slug: str
    title: str
    hours: Decimal
    objectives: list[str]
    legal_traditions: list[str]
    alternative_group: str | None = None  # not part of the version hash (see the module doc)
    # {"fr": {"title": ..., "objectives": [...]}}; not hashed either (see the module doc)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False)

    def canonical(self) -> dict[str, Any]:
        """Return the module as plain data whose JSON form decides the version hash."""
        return {
            "slug": self.slug,
            "title": self.title,
            "hours": _decimal_text(self.hours),
            "objectives": list(self.objectives),
            "legal_traditions": list(self.legal_traditions),
        }


@dataclass(frozen=True)
class CourseSpec:
    """A validated course file."""

    file: str
    filename: str
    slug: str
    title: str
    version_label: str
    code: str
    summary: str
    audiences: list[str]
    languages: list[str]
    completion_threshold: Decimal
    validity_months: int | None
    certificate: dict[str, Any]
    modules: list[ModuleSpec]
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # {"fr": {"title"}}

    @property
    def content_hash(self) -> str:
        """Return the sha256 of the canonical JSON of the ordered modules."""
        return modules_hash([module.canonical() for module in self.modules])

    @property
    def total_hours(self) -> Decimal:
        """Return the hours a delivery teaches: every module, each group of alternatives once."""
        groups = {module.alternative_group for module in self.modules} - {None}
        return sum(
            (module.hours for module in self.modules if module.alternative_group is None),
            Decimal(0),
        ) + sum(
            (next(m.hours for m in self.modules if m.alternative_group == g) for g in groups),
            Decimal(0),
        )


@dataclass
class CourseChange:
    """What sync did (or would do) to one course."""

    slug: str
    action: str  # created, updated, retired, unchanged
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.action:<9} {self.slug}"
        return f"{text}: {'; '.join(self.details)}" if self.details else text


@dataclass
class SyncReport:
    """The outcome of a sync, course by course, with the counts the CLI prints."""

    dry_run: bool = False
    changes: list[CourseChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def slugs(self, action: str) -> list[str]:
        """Return the slugs of the courses that got this action."""
        return [change.slug for change in self.changes if change.action == action]

    @property
    def created(self) -> int:
        """Return how many courses were created."""
        return len(self.slugs("created"))

    @property
    def updated(self) -> int:
        """Return how many courses were updated (in place, new version or restored)."""
        return len(self.slugs("updated"))

    @property
    def retired(self) -> int:
        """Return how many courses were retired because their file disappeared."""
        return len(self.slugs("retired"))

    @property
    def unchanged(self) -> int:
        """Return how many course files matched the database already."""
        return len(self.slugs("unchanged"))

    @property
    def changed(self) -> bool:
        """Return whether anything was (or would be) written."""
        return bool(self.created or self.updated or self.retired)

    def summary(self) -> str:
        """Return the one-line count, e.g. '0 created, 0 updated, 0 retired, 4 unchanged'."""
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.retired} retired, {self.unchanged} unchanged"
        )


def modules_hash(modules: list[dict[str, Any]]) -> str:
    """Return the sha256 of the canonical JSON of a list of module dicts."""
    text = json.dumps(modules, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decimal_text(value: Decimal) -> str:
    """Write a decimal without trailing zeros, so 6, 6.0 and 6.00 hash alike."""
    return format(value.normalize(), "f")


# --- reading YAML ---------------------------------------------------------------------------


# libyaml's parser is about ten times faster than the pure-Python one; both are safe loaders.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (a silent overwrite)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    seen: set = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def display_name(path: Path) -> str:
    """Name a file relative to the working directory when possible (courses/x.yaml)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_course_file(path: Path) -> tuple[Any, list[Problem]]:
    """Read one YAML file; return its data or a problem naming the line that is wrong."""
    name = display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, "", f"cannot be read: {exc}")]
    try:
        return yaml.load(text, Loader=_StrictLoader), []  # noqa: S506  (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{context}: {problem}" if context and problem != str(exc) else problem
        return None, [Problem(name, where, f"is not valid YAML ({detail})")]


# --- validation -----------------------------------------------------------------------------


class _Checker:
    """Collect problems for one file while reading its fields."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def keys(self, data: dict, allowed: dict[str, bool], prefix: str = "") -> None:
        """Report missing required keys and unknown keys (usually typos)."""
        for key, required in allowed.items():
            if required and key not in data:
                self.add(f"{prefix}{key}", "is required")
        for key in data:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.add(f"{prefix}{key}", f"unknown key (allowed: {hint})")

    def text(self, data: dict, key: str, where: str, max_length: int) -> str | None:
        value = data.get(key)
        if key not in data:
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(where, "must be non-empty text")
            return None
        value = " ".join(value.split())
        if len(value) > max_length:
            self.add(where, f"must be at most {max_length} characters (has {len(value)})")
            return None
        return value

    def slug(self, data: dict, key: str, where: str) -> str | None:
        value = self.text(data, key, where, 80)
        if value is not None and not SLUG_RE.match(value):
            self.add(where, "must use lowercase letters, digits and single hyphens (e.g. cfcac)")
            return None
        return value

    def number(self, value: Any, where: str, places: int) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.add(where, "must be a number")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.add(where, "must be a number")
            return None
        if not number.is_finite():
            self.add(where, "must be a number")
            return None
        if number.normalize().as_tuple().exponent < -places:
            self.add(where, f"must have at most {places} decimal places")
            return None
        return number

    def code_list(
        self, data: dict, key: str, valid: Callable[[str], bool], explain: str
    ) -> list[str] | None:
        if key not in data:
            return None
        values = data[key]
        if not isinstance(values, list) or not values:
            self.add(key, "must be a non-empty list")
            return None
        result: list[str] = []
        for index, value in enumerate(values):
            where = f"{key}[{index}]"
            if not isinstance(value, str):
                quoted = " (write it in quotes)" if isinstance(value, bool) else ""
                self.add(where, f"must be {explain}{quoted}, not {value!r}")
            elif not valid(value):
                self.add(where, f"'{value}' is not {explain}")
            elif value in result:
                self.add(where, f"'{value}' is listed twice")
            else:
                result.append(value)
        return result


def _is_language(code: str) -> bool:
    return len(code) == 2 and code.islower() and pycountry.languages.get(alpha_2=code) is not None


def validate_course(
    data: Any,
    file: str,
    image_dir: Path | None = None,
    locales: tuple[str, ...] | None = None,
) -> CourseSpec:
    """Check one course file's data; raise CourseFileError listing every problem found.

    `locales` are the languages a translation may be in (None: any ISO 639-1 code).
    """
    check = _Checker(file)
    if not isinstance(data, dict):
        check.add("", "must be a YAML mapping of course fields (slug, title, modules, …)")
        raise CourseFileError(check.problems)
    check.keys(data, COURSE_KEYS)

    slug = check.slug(data, "slug", "slug")
    title = check.text(data, "title", "title", 200)
    code = check.text(data, "code", "code", 12)
    if code is not None and not CODE_RE.match(code):
        check.add("code", "must be 2-12 capital letters or digits, starting with a letter")
    version_label = None
    if "version" in data:
        if isinstance(data["version"], str):
            version_label = check.text(data, "version", "version", 40)
        else:
            check.add(
                "version", 'must be text in quotes, e.g. version: "2.1" (2.10 unquoted is 2.1)'
            )
    summary = check.text(data, "summary", "summary", 5000)

    audience_codes = {a.value for a in Audience}
    audiences = check.code_list(
        data,
        "audiences",
        audience_codes.__contains__,
        "an audience code (" + ", ".join(sorted(audience_codes)) + ")",
    )
    languages = check.code_list(data, "languages", _is_language, "an ISO 639-1 language code")

    threshold = DEFAULT_THRESHOLD
    if data.get("completion_threshold") is not None:
        value = check.number(data["completion_threshold"], "completion_threshold", 3)
        if value is not None and not Decimal(0) <= value <= Decimal(1):
            check.add("completion_threshold", "must be between 0 and 1 (a share of days, e.g. 0.8)")
        elif value is not None:
            threshold = value

    validity = data.get("validity_months")
    if validity is not None and (
        isinstance(validity, bool)
        or not isinstance(validity, int)
        or not 1 <= validity <= MAX_VALIDITY_MONTHS
    ):
        check.add(
            "validity_months", f"must be a whole number of months from 1 to {MAX_VALIDITY_MONTHS}"
        )
        validity = None

    certificate = _validate_certificate(data.get("certificate"), check, image_dir)
    modules = _validate_modules(data.get("modules"), check) if "modules" in data else None
    translations: dict[str, dict[str, str]] = {}
    if data.get("translations") is not None:
        main = languages[0] if languages else None
        translations, by_module = _validate_translations(
            data["translations"], modules, main, locales, check
        )
        _check_certificate_title(translations, certificate, check)
        modules = [
            replace(module, translations=by_module.get(module.slug, {})) for module in modules or []
        ]

    if check.problems:
        raise CourseFileError(check.problems)
    return CourseSpec(
        file=file,
        filename=Path(file).name,
        slug=slug,
        title=title,
        version_label=version_label,
        code=code,
        summary=summary,
        audiences=audiences,
        languages=languages,
        completion_threshold=threshold,
        validity_months=validity,
        certificate=certificate,
        modules=modules,
        translations=translations,
    )


def _validate_translations(
    value: Any,
    modules: list[ModuleSpec] | None,
    main: str | None,
    locales: tuple[str, ...] | None,
    check: _Checker,
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, dict[str, Any]]]]:
    """Return the course's texts per language and each module's per language, as stored."""
    course: dict[str, dict[str, str]] = {}
    by_module: dict[str, dict[str, dict[str, Any]]] = {}
    if not isinstance(value, dict):
        check.add("translations", "must map language codes (fr, es, ar) to translated texts")
        return course, by_module
    for lang, words in value.items():
        where = f"translations.{lang}"
        if not isinstance(lang, str) or not _is_language(lang):
            check.add(where, f"{lang!r} is not an ISO 639-1 language code")
            continue
        if locales is not None and lang not in locales:
            check.add(
                where, f"'{lang}' is not a language the platform speaks ({', '.join(locales)})"
            )
            continue
        if lang == main:
            check.add(where, f"'{lang}' is the course's main language (the first of languages)")
            continue
        if not isinstance(words, dict):
            check.add(where, "must be a mapping with title, summary and modules")
            continue
        check.keys(words, TRANSLATION_KEYS, f"{where}.")
        texts = {
            key: text
            for key, limit in (("title", 200), ("summary", 5000), ("certificate_title", 200))
            if (text := check.text(words, key, f"{where}.{key}", limit)) is not None
        }
        course[lang] = texts
        if "modules" in words and modules is not None:
            for slug, module_words in _translated_modules(words["modules"], modules, where, check):
                by_module.setdefault(slug, {})[lang] = module_words
    return course, by_module


def _check_certificate_title(
    translations: dict[str, dict[str, str]], certificate: dict[str, Any], check: _Checker
) -> None:
    """Refuse a translated certificate title when the course has none: it would never show."""
    if certificate.get("title"):
        return
    for lang, texts in translations.items():
        if "certificate_title" in texts:
            check.add(
                f"translations.{lang}.certificate_title",
                "the course has no certificate.title to translate",
            )


def _translated_modules(
    value: Any, modules: list[ModuleSpec], where: str, check: _Checker
) -> list[tuple[str, dict[str, Any]]]:
    """Check one language's module list against the course's modules, in the same order."""
    where = f"{where}.modules"
    if not isinstance(value, list):
        check.add(where, "must list the course's modules in order, each with slug and title")
        return []
    wanted = [module.slug for module in modules]
    given = [item.get("slug") if isinstance(item, dict) else None for item in value]
    if len(value) != len(modules):
        missing = [slug for slug in wanted if slug not in given]
        extra = [str(slug) for slug in given if slug not in wanted]
        detail = "; ".join(
            part
            for part in (
                f"missing: {', '.join(missing)}" if missing else "",
                f"not in the course: {', '.join(extra)}" if extra else "",
            )
            if part
        )
        check.add(
            where,
            f"lists {len(value)} modules but the course has {len(modules)}"
            + (f" ({detail})" if detail else ""),
        )
        return []
    result = []
    for index, (item, module) in enumerate(zip(value, modules, strict=True)):
        prefix = f"{where}[{index}]"
        named = f"(module {module.slug})"
        if not isinstance(item, dict):
            check.add(prefix, f"must be a mapping with slug and title {named}")
            continue
        before = len(check.problems)
        for key, required in TRANSLATED_MODULE_KEYS.items():
            if required and key not in item:
                check.add(f"{prefix}.{key}", f"is required {named}")
        for key in item:
            if key not in TRANSLATED_MODULE_KEYS:
                allowed = ", ".join(TRANSLATED_MODULE_KEYS)
                check.add(f"{prefix}.{key}", f"unknown key (allowed: {allowed}) {named}")
        if "slug" in item and item["slug"] != module.slug:
            check.add(
                f"{prefix}.slug",
                f"'{item['slug']}' is not modules[{index}] ({module.slug}); "
                "translate the modules in the course's order",
            )
        title = check.text(item, "title", f"{prefix}.title", 200)
        words: dict[str, Any] = {"title": title}
        if "objectives" in item:
            objectives = _validate_objectives(item, prefix, check)
            if objectives and len(objectives) != len(module.objectives):
                check.add(
                    f"{prefix}.objectives",
                    f"has {len(objectives)} objectives but module {module.slug} has "
                    f"{len(module.objectives)}",
                )
            words["objectives"] = objectives
        if len(check.problems) == before:
            result.append((module.slug, words))
    return result


def _image_file(
    value: Any, where: str, folder: str, image_dir: Path | None, check: _Checker
) -> str | None:
    """Check a file name of an image under static/img/<folder>/ and return 'img/<folder>/<name>'."""
    if not isinstance(value, str) or not IMAGE_RE.match(value):
        check.add(where, f"must be a file name (.png, .jpg or .svg) in static/img/{folder}/")
        return None
    if image_dir is not None and not (image_dir / folder / value).is_file():
        check.add(where, f"'{value}' is not in static/img/{folder}/")
        return None
    return f"img/{folder}/{value}"


def _validate_certificate(value: Any, check: _Checker, image_dir: Path | None) -> dict[str, Any]:
    """Return the certificate settings as stored (and read by the certificates domain).

    Stored keys: title (or None), signatories [{name, title, signature}], partner_logos (file
    names as written), logos (the same as static paths 'img/partners/x.svg'), layout ('' = default).
    """
    result: dict[str, Any] = {
        "title": None,
        "signatories": [],
        "partner_logos": [],
        "logos": [],
        "layout": "",
    }
    if value is None:
        return result
    if not isinstance(value, dict):
        check.add("certificate", "must be a mapping with title, signatories and partner_logos")
        return result
    check.keys(value, CERTIFICATE_KEYS, "certificate.")
    if "title" in value:
        result["title"] = check.text(value, "title", "certificate.title", 200)
    if "layout" in value:
        layout = value["layout"]
        if not isinstance(layout, str) or not LAYOUT_RE.match(layout):
            check.add("certificate.layout", "must be a short name in lowercase letters and _")
        else:
            result["layout"] = layout
    signatories = value.get("signatories") or []
    if not isinstance(signatories, list):
        check.add("certificate.signatories", "must be a list of {name, title}")
        signatories = []
    if len(signatories) > 3:
        check.add("certificate.signatories", "must list at most 3 signatories")
    for index, person in enumerate(signatories):
        where = f"certificate.signatories[{index}]"
        if not isinstance(person, dict):
            check.add(where, "must be a mapping with name and title")
            continue
        check.keys(person, SIGNATORY_KEYS, f"{where}.")
        name = check.text(person, "name", f"{where}.name", 120)
        role = check.text(person, "title", f"{where}.title", 160)
        signature = None
        if person.get("signature") is not None:
            signature = _image_file(
                person["signature"], f"{where}.signature", "signatures", image_dir, check
            )
        if name and role:
            result["signatories"].append({"name": name, "title": role, "signature": signature})
    logos = value.get("partner_logos") or []
    if not isinstance(logos, list):
        check.add("certificate.partner_logos", "must be a list of file names")
        logos = []
    for index, logo in enumerate(logos):
        path = _image_file(
            logo, f"certificate.partner_logos[{index}]", "partners", image_dir, check
        )
        if path is not None:
            result["partner_logos"].append(logo)
            result["logos"].append(path)
    return result


def _validate_modules(value: Any, check: _Checker) -> list[ModuleSpec] | None:
    if not isinstance(value, list) or not value:
        check.add("modules", "must be a non-empty list of modules")
        return None
    modules: list[ModuleSpec] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        prefix = f"modules[{index}]"
        if not isinstance(item, dict):
            check.add(prefix, "must be a mapping with slug, title, hours and objectives")
            continue
        before = len(check.problems)
        check.keys(item, MODULE_KEYS, f"{prefix}.")
        slug = check.slug(item, "slug", f"{prefix}.slug")
        if slug is not None and slug in seen:
            check.add(f"{prefix}.slug", f"'{slug}' is already used by modules[{seen[slug]}]")
        elif slug is not None:
            seen[slug] = index
        title = check.text(item, "title", f"{prefix}.title", 200)
        hours = None
        if "hours" in item:
            hours = check.number(item["hours"], f"{prefix}.hours", 2)
            if hours is not None and not Decimal(0) < hours <= MAX_MODULE_HOURS:
                check.add(f"{prefix}.hours", f"must be a positive number up to {MAX_MODULE_HOURS}")
        objectives = _validate_objectives(item, prefix, check)
        traditions = ["all"]
        if "legal_traditions" in item:
            listed = _validate_traditions(item["legal_traditions"], prefix, check)
            traditions = listed or traditions
        group = None
        if item.get("alternative_group") is not None:
            group = check.slug(item, "alternative_group", f"{prefix}.alternative_group")
        if len(check.problems) == before:
            modules.append(ModuleSpec(slug, title, hours, objectives, traditions, group))
    _validate_groups(modules, [item.get("slug") for item in value if isinstance(item, dict)], check)
    return modules


def _validate_groups(modules: list[ModuleSpec], slugs: list, check: _Checker) -> None:
    """Check each group of alternatives: two or more modules, equal hours, distinct traditions."""
    groups: dict[str, list[ModuleSpec]] = {}
    for module in modules:
        if module.alternative_group:
            groups.setdefault(module.alternative_group, []).append(module)
    for name, members in groups.items():
        where = f"modules[{slugs.index(members[0].slug)}].alternative_group"
        if len(members) == 1:
            check.add(
                where,
                f"'{name}' names no other module; alternatives are two or more modules "
                "with the same alternative_group",
            )
            continue
        hours = sorted({_decimal_text(module.hours) for module in members})
        if len(hours) > 1:
            listed = ", ".join(f"{m.slug} {_decimal_text(m.hours)} h" for m in members)
            check.add(where, f"the alternatives in '{name}' must have the same hours ({listed})")
        covered: dict[str, str] = {}
        for module in members:
            if "all" in module.legal_traditions:
                check.add(
                    f"modules[{slugs.index(module.slug)}].alternative_group",
                    f"{module.slug} is taught under every tradition, so it has no alternative; "
                    "tag it common_law or civil_law",
                )
            for tradition in module.legal_traditions:
                if tradition in covered and tradition != "all":
                    check.add(
                        f"modules[{slugs.index(module.slug)}].alternative_group",
                        f"{module.slug} and {covered[tradition]} both cover {tradition}; "
                        f"the alternatives in '{name}' must cover different traditions",
                    )
                covered.setdefault(tradition, module.slug)


def _validate_objectives(item: dict, prefix: str, check: _Checker) -> list[str]:
    if "objectives" not in item:
        return []
    objectives = item["objectives"]
    if not isinstance(objectives, list) or not objectives:
        check.add(f"{prefix}.objectives", "must be a non-empty list of learning objectives")
        return []
    result = []
    for index, objective in enumerate(objectives):
        if not isinstance(objective, str) or not objective.strip():
            check.add(f"{prefix}.objectives[{index}]", "must be non-empty text")
        else:
            result.append(" ".join(objective.split()))
    return result


def _validate_traditions(value: Any, prefix: str, check: _Checker) -> list[str] | None:
    where = f"{prefix}.legal_traditions"
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        check.add(where, "must be a non-empty list of: " + ", ".join(MODULE_TRADITIONS))
        return None
    result: list[str] = []
    for index, tradition in enumerate(value):
        if tradition not in MODULE_TRADITIONS:
            allowed = ", ".join(MODULE_TRADITIONS)
            check.add(f"{where}[{index}]", f"{tradition!r} is not one of: {allowed}")
        elif tradition not in result:
            result.append(tradition)
    if "all" in result and len(result) > 1:
        check.add(where, "'all' cannot be combined with other traditions")
        return None
    return result if len(result) == len(value) else None


def course_files(directory: Path) -> list[Path]:
    """Return the course files of a folder in name order (README and other files are ignored)."""
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file() and path.suffix in COURSE_FILE_SUFFIXES and not path.name.startswith(".")
    )


def read_courses(
    directory: Path, image_dir: Path | None = None, locales: tuple[str, ...] | None = None
) -> list[CourseSpec]:
    """Parse and validate every course file; raise CourseFileError listing all problems."""
    if not directory.is_dir():
        raise CourseFileError([Problem(display_name(directory), "", "is not a folder")])
    paths = course_files(directory)
    if not paths:
        # An empty folder would retire every course; treat it as a mistake instead.
        message = "holds no course files (*.yaml); refusing to retire every course"
        raise CourseFileError([Problem(display_name(directory), "", message)])
    problems: list[Problem] = []
    specs: list[CourseSpec] = []
    for path in paths:
        data, load_problems = load_course_file(path)
        if load_problems:
            problems.extend(load_problems)
            continue
        try:
            specs.append(validate_course(data, display_name(path), image_dir, locales))
        except CourseFileError as exc:
            problems.extend(exc.problems)
    problems.extend(_duplicates(specs))
    if not problems:  # companions are checked against courses that are themselves valid
        for check in _COMPANION_CHECKS:
            problems.extend(check(directory, specs))
    if problems:
        raise CourseFileError(problems)
    return specs


def _duplicates(specs: list[CourseSpec]) -> list[Problem]:
    problems = []
    for attribute in ("slug", "code"):
        first: dict[str, CourseSpec] = {}
        for spec in specs:
            value = getattr(spec, attribute)
            if value in first:
                problems.append(
                    Problem(spec.file, attribute, f"'{value}' is also used by {first[value].file}")
                )
            else:
                first[value] = spec
    return problems


# --- applying -------------------------------------------------------------------------------


def _course_fields(spec: CourseSpec) -> dict[str, Any]:
    return {
        "title": spec.title,
        "code": spec.code,
        "summary": spec.summary,
        "audiences": list(spec.audiences),
        "languages": list(spec.languages),
        "completion_threshold": spec.completion_threshold,
        "validity_months": spec.validity_months,
        "certificate": spec.certificate,
        "translations": spec.translations,
        "source_file": spec.filename,
    }


def _differs(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, Decimal):
        return current is None or Decimal(current) != wanted
    return current != wanted


def _new_version(spec: CourseSpec, number: int) -> CourseVersion:
    version = CourseVersion(number=number, label=spec.version_label, content_hash=spec.content_hash)
    for position, module in enumerate(spec.modules):
        version.modules.append(
            CourseModule(
                position=position,
                slug=module.slug,
                title=module.title,
                hours=module.hours,
                objectives=list(module.objectives),
                legal_traditions=list(module.legal_traditions),
                alternative_group=module.alternative_group,
                translations=module.translations,
            )
        )
    return version


def _consistent_groups(modules: list[CourseModule], wanted: dict[str, str | None]) -> dict:
    """Return {module: group} for one version, dropping groups its own modules cannot form."""
    members: dict[str, list[CourseModule]] = {}
    for module in modules:
        if wanted.get(module.slug):
            members.setdefault(wanted[module.slug], []).append(module)
    valid = {
        name
        for name, group in members.items()
        if len(group) > 1 and len({Decimal(module.hours) for module in group}) == 1
    }
    return {
        module: wanted.get(module.slug) if wanted.get(module.slug) in valid else None
        for module in modules
    }


def _align_groups(course: Course, spec: CourseSpec, dry_run: bool) -> int:
    """Set the file's alternative groups on every version holding those modules; count changes."""
    wanted = {module.slug: module.alternative_group for module in spec.modules}
    changed = 0
    for version in course.versions:
        groups = _consistent_groups(version.modules, wanted)
        if any(module.alternative_group != group for module, group in groups.items()):
            changed += 1
            if not dry_run:
                for module, group in groups.items():
                    module.alternative_group = group
    return changed


def _align_translations(course: Course, spec: CourseSpec, dry_run: bool) -> int:
    """Set the file's module translations on every version whose module reads the same; count."""
    by_slug = {module.slug: module for module in spec.modules}
    changed = 0
    for version in course.versions:
        differing = [
            (module, wanted.translations)
            for module in version.modules
            if (wanted := by_slug.get(module.slug)) is not None
            and (module.title, list(module.objectives)) == (wanted.title, wanted.objectives)
            and (module.translations or {}) != wanted.translations
        ]
        if differing:
            changed += 1
            if not dry_run:
                for module, translations in differing:
                    module.translations = translations
    return changed


def apply_courses(specs: list[CourseSpec], dry_run: bool = False) -> SyncReport:
    """Bring the database in line with validated specs; flush, never commit."""
    report = SyncReport(dry_run=dry_run)
    existing = {
        course.slug: course
        for course in db.session.scalars(select(Course).options(selectinload(Course.versions)))
    }
    for spec in specs:
        course = existing.get(spec.slug)
        if course is None:
            report.changes.append(_create(spec, dry_run))
        else:
            report.changes.append(_update(course, spec, dry_run, report))
    wanted = {spec.slug for spec in specs}
    for slug, course in sorted(existing.items()):
        if slug not in wanted and not course.retired:
            if not dry_run:
                course.retired = True
            report.changes.append(CourseChange(slug, "retired", [f"{course.source_file} is gone"]))
    if not dry_run:
        db.session.flush()
    return report


def _create(spec: CourseSpec, dry_run: bool) -> CourseChange:
    if not dry_run:
        course = Course(slug=spec.slug, retired=False, **_course_fields(spec))
        course.versions.append(_new_version(spec, 1))
        db.session.add(course)
    hours = _decimal_text(spec.total_hours)
    detail = f"version 1 ({spec.version_label}), {len(spec.modules)} modules, {hours} h"
    return CourseChange(spec.slug, "created", [detail])


def _update(course: Course, spec: CourseSpec, dry_run: bool, report: SyncReport) -> CourseChange:
    details: list[str] = []
    if course.retired:
        details.append("restored (its file is back)")
        if not dry_run:
            course.retired = False
    changed = [
        name
        for name, wanted in _course_fields(spec).items()
        if _differs(getattr(course, name), wanted)
    ]
    if changed:
        details.append("changed " + ", ".join(changed))
        if not dry_run:
            for name in changed:
                setattr(course, name, _course_fields(spec)[name])
    current = course.current_version
    if current is None or current.content_hash != spec.content_hash:
        number = (current.number if current else 0) + 1
        details.append(f"new version {number} ({spec.version_label}): modules changed")
        if current is not None and current.label == spec.version_label:
            report.warnings.append(
                f"{spec.file}: version: modules changed but the label is still "
                f"'{spec.version_label}'; consider raising it"
            )
        if not dry_run:
            course.versions.append(_new_version(spec, number))
    elif current.label != spec.version_label:
        details.append(f"version label {current.label} → {spec.version_label}")
        if not dry_run:
            current.label = spec.version_label
    regrouped = _align_groups(course, spec, dry_run)
    if regrouped:
        details.append(f"alternative groups set on {regrouped} version(s)")
    translated = _align_translations(course, spec, dry_run)
    if translated:
        details.append(f"module translations set on {translated} version(s)")
    return CourseChange(spec.slug, "updated" if details else "unchanged", details)


def default_locales() -> tuple[str, ...] | None:
    """Return the running app's interface languages, which course translations may use."""
    from flask import current_app, has_app_context

    return tuple(current_app.config["LANGUAGES"]) if has_app_context() else None


def default_image_dir() -> Path | None:
    """Return static/img of the running app, where certificate logos and signatures live."""
    from flask import current_app, has_app_context

    if not has_app_context() or current_app.static_folder is None:
        return None
    return Path(current_app.static_folder) / "img"


def sync_courses(
    directory: Path, dry_run: bool = False, *, image_dir: Path | None = None
) -> SyncReport:
    """Validate every course file, then apply them all (flush only); raise CourseFileError."""
    specs = read_courses(Path(directory), image_dir or default_image_dir(), default_locales())
    return apply_courses(specs, dry_run=dry_run)
