"""Benchmark `flask import history` on 100,000 rows against a bare csv + sqlite3 floor.

The file holds 4,000 past sessions and 60,000 distinct people (names in several scripts, most
with an email, the rest matched by name and country). Each measurement runs in its own fresh
process on its own fresh SQLite file, so that peak memory (ru_maxrss) belongs to it alone.
Run it alone with:  .venv/bin/python -m bench.history
"""

from __future__ import annotations

import csv
import multiprocessing
import random
import resource
import shutil
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROWS = 100_000
SESSIONS = 4_000
PEOPLE = 60_000
SEED = 20260301
TARGET_RATIO = 20
FLOOR_RUNS = 3
IMPORT_RUNS = 2
TARGET_MB = 500

COURSES = [
    ("cybercrime-investigation", "CCI", "Investigating online child sexual exploitation"),
    ("digital-evidence", "DEV", "Digital evidence for prosecutors"),
    ("victim-identification", "VID", "Victim identification"),
    ("child-protection-online", "CPO", "Child protection online"),
    ("undercover-online", "UCO", "Online undercover operations"),
]


def _words(text: str) -> list[str]:
    return text.split()


# Region -> countries (as written in the file: alpha-2, alpha-3 or English name), first names,
# last names. Several scripts on purpose: matching must fold them consistently.
REGIONS = {
    "east_africa": (
        ["KE", "UGA", "Tanzania", "RW", "ET"],
        _words(
            "Amina Wanjiru Achieng Baraka Otieno Kamau Njeri Juma Halima Faith Grace Daniel "
            "Peter Joseph Mercy Brian Kevin Esther Ruth Samuel"
        ),
        _words(
            "Odhiambo Mwangi Kiprono Mutua Wambui Ochieng Nakato Mugisha Tesfaye Bekele "
            "Habimana Uwase Kariuki Atieno Chebet Nyambura Okello Ssempa Mushi Abebe"
        ),
    ),
    "west_africa": (
        ["NG", "GHA", "Senegal", "CI", "BJ"],
        _words(
            "Chinedu Adaeze Kwame Ama Moussa Aissatou Ibrahim Fatou Oluwaseun Yaw Kofi Efua "
            "Mamadou Awa Tunde Ngozi Sekou Mariama Emeka Abena"
        ),
        _words(
            "Okafor Mensah Diallo Ndiaye Adeyemi Boateng Traore Kone Owusu Balogun Sow Camara "
            "Eze Asante Coulibaly Fall Okoro Appiah Bah Toure"
        ),
    ),
    "latin_america": (
        ["BR", "MEX", "Colombia", "PE", "AR"],
        _words(
            "José María João Ana Luis Camila Mateus Lucía Andrés Sofía Diego Valentina Pedro "
            "Gabriela Carlos Fernanda Jorge Isabela Ricardo Paula"
        ),
        _words(
            "Pérez González Silva Rodríguez Fernández Oliveira Gómez Souza Martínez Santos "
            "Ramírez Costa Hernández Lima Torres Ribeiro Flores Alves Rojas Castro"
        ),
    ),
    "arab_states": (
        ["JO", "EGY", "Morocco", "TN", "LB"],
        _words(
            "محمد أحمد فاطمة علي خديجة يوسف مريم عمر ليلى حسن سارة خالد نور إبراهيم هدى "
            "سلمى طارق رنا كريم دينا"
        ),
        _words(
            "الحسن العلي المصري الخطيب حداد النجار الشامي يوسف منصور عيسى سليمان "
            "بركات الزين حمدان عثمان صالح قاسم ناصر جابر رزق"
        ),
    ),
    "eastern_europe": (
        ["UA", "MDA", "Kazakhstan", "GE", "AM"],
        _words(
            "Олена Андрій Ірина Сергій Наталія Олексій Тетяна Дмитро Марія Іван Анна Максим "
            "Світлана Юрій Катерина Віктор Ольга Роман Людмила Артем"
        ),
        _words(
            "Шевченко Коваленко Бондаренко Ткаченко Кравченко Мельник Олійник Лисенко "
            "Поліщук Савченко Руденко Марченко Гончаренко Павленко Кузьменко Левченко "
            "Петренко Власенко Кириленко Мороз"
        ),
    ),
    "south_asia": (
        ["IN", "NPL", "Bangladesh", "LK", "BT"],
        _words(
            "अमित प्रिया राहुल सुनीता विजय अनीता संजय पूजा राजेश कविता सुरेश नेहा अजय "
            "रेखा दीपक सीमा मनोज ज्योति अरुण गीता"
        ),
        _words(
            "शर्मा वर्मा गुप्ता सिंह कुमार यादव पटेल जोशी मिश्रा तिवारी श्रेष्ठ थापा "
            "अधिकारी राय चौधरी पांडे मेहता नायर रेड्डी दास"
        ),
    ),
    "east_asia": (
        ["TH", "PHL", "Viet Nam", "KH", "MN"],
        _words(
            "สมชาย สุดา วิชัย มาลี ประเสริฐ นภา Maria Jose Juan Ana Nguyen Tran Minh Lan "
            "Sokha Dara Bat Oyun 伟 芳"
        ),
        _words(
            "ศรีสุข วงศ์ใหญ่ ทองดี สุขสวัสดิ์ Santos Reyes Cruz Bautista Ocampo Garcia "
            "Nguyễn Trần Lê Phạm Hoàng Sok Chan Bold 王 李"
        ),
    ),
}
ORGANISATIONS = [
    ("National Police", "police"),
    ("Cybercrime Unit", "police"),
    ("Office of the Public Prosecutor", "prosecution"),
    ("High Court", "judiciary"),
    ("Department of Children's Services", "child_protection"),
    ("Child Helpline", "ngo"),
    ("Internet Service Providers Association", "industry"),
    ("Ministry of the Interior", "government"),
    ("Regional Training Academy", ""),
]
CITIES = ["Capital", "Harbour City", "Old Town", "Lakeside", "Hill Station", "Border Town"]


def _country_codes() -> dict[str, str]:
    """Map each spelling used in the file to its alpha-2 code (the floor's lookup table)."""
    from app.shared.countries import lookup_country

    return {
        spelling: lookup_country(spelling)
        for countries, _first, _last in REGIONS.values()
        for spelling in countries
    }


def generate(path: Path) -> None:
    """Write the benchmark CSV: 100,000 rows, 4,000 sessions, 60,000 distinct people."""
    from app.enrolment.names import normalise_name

    rng = random.Random(SEED)
    codes = _country_codes()
    regions = list(REGIONS.values())
    people = []
    seen: set[tuple[str, str]] = set()
    while len(people) < PEOPLE:
        countries, first_names, last_names = rng.choice(regions)
        country = rng.choice(countries)
        parts = [rng.choice(first_names), rng.choice(first_names), rng.choice(last_names)]
        if rng.random() < 0.5:
            parts.append(rng.choice(last_names))
        name = " ".join(parts)
        key = (normalise_name(name), codes[country])
        if key in seen:
            continue
        seen.add(key)
        number = len(people)
        email = f"p{number:05d}@agency{number % 97}.example" if rng.random() < 0.7 else ""
        organisation, agency = rng.choice(ORGANISATIONS)
        people.append((name, email, country, organisation, agency))

    sessions = []
    start = date(2012, 1, 9)
    for number in range(SESSIONS):
        slug, prefix, _title = COURSES[number % len(COURSES)]
        countries, _first, _last = rng.choice(regions)
        host = rng.choice(countries)
        first_day = start + timedelta(days=rng.randrange(0, 12 * 365))
        last_day = first_day + timedelta(days=rng.randrange(1, 5))
        code = f"{prefix}-{first_day.year}-{codes[host]}-{number:04d}"
        sessions.append((slug, code, host, rng.choice(CITIES), first_day, last_day))

    per_session = ROWS // SESSIONS
    slots = [session for session in range(SESSIONS) for _ in range(per_session)]
    rng.shuffle(slots)
    members: list[set[int]] = [set() for _ in range(SESSIONS)]
    rows = []
    for index, session in enumerate(slots):
        if index < PEOPLE:
            person = index  # every person appears at least once
        else:
            person = rng.randrange(PEOPLE)
            while person in members[session]:
                person = rng.randrange(PEOPLE)
        members[session].add(person)
        rows.append((session, person))
    rows.sort()
    from app.history.services import COLUMNS

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for session, person in rows:
            slug, code, host, city, first_day, last_day = sessions[session]
            name, email, country, organisation, agency = people[person]
            completed = "yes" if rng.random() < 0.85 else "no"
            writer.writerow(
                [
                    slug,
                    code,
                    host,
                    city,
                    first_day.isoformat(),
                    last_day.isoformat(),
                    name,
                    email,
                    country,
                    organisation,
                    agency,
                    completed,
                ]
            )


def create_database(path: Path) -> str:
    """Create the full schema on a fresh SQLite file and add the courses; return its URL."""
    from sqlalchemy import create_engine, insert

    from app import create_app
    from app.curriculum.models import Course, CourseVersion
    from app.extensions import db

    url = f"sqlite:///{path}"
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})  # registers every model
    engine = create_engine(url)
    db.metadata.create_all(engine)
    with engine.begin() as connection:
        for number, (slug, code, title) in enumerate(COURSES, start=1):
            connection.execute(
                insert(Course),
                {
                    "id": number,
                    "slug": slug,
                    "code": code,
                    "title": title,
                    "summary": "",
                    "audiences": [],
                    "languages": ["en"],
                    "certificate": {},
                    "source_file": f"{slug}.yaml",
                },
            )
            connection.execute(
                insert(CourseVersion),
                {
                    "id": number,
                    "course_id": number,
                    "number": 1,
                    "label": "1.0",
                    "content_hash": "",
                },
            )
    engine.dispose()
    return url


def floor(csv_path: str, db_path: str, codes: dict[str, str]) -> dict:
    """Parse with csv, match in dicts, insert with sqlite3 executemany in one transaction."""
    started = time.perf_counter()
    connection = sqlite3.connect(db_path)
    courses = dict(connection.execute("SELECT slug, id FROM courses"))
    versions = dict(connection.execute("SELECT course_id, id FROM course_versions"))
    now = "2026-01-01 00:00:00.000000"
    sessions: dict[str, int] = {}
    session_rows = []
    by_email: dict[str, int] = {}
    by_name: dict[tuple[str, str], int] = {}
    people_rows = []
    enrolments = []
    with open(csv_path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            slug, code, host, city, start, end, name, email, country, org, agency, done = row
            session_id = sessions.get(code)
            if session_id is None:
                session_id = sessions[code] = len(sessions) + 1
                course_id = courses[slug]
                session_rows.append(
                    (session_id, code, course_id, versions[course_id], codes[host], city, "",
                     start, end, "UTC", "en", 25, "completed", "", 1, now, now)
                )  # fmt: skip
            country_code = codes[country]
            email = email.lower()
            name_key = (" ".join(name.casefold().split()), country_code)
            person = by_email.get(email) if email else by_name.get(name_key)
            if person is None:
                person = len(people_rows) + 1
                people_rows.append(
                    (person, name, name_key[0], email or None, country_code, org, agency or "other",
                     "", now, now)
                )  # fmt: skip
                if email:
                    by_email[email] = person
                by_name.setdefault(name_key, person)
            enrolments.append(
                (session_id, person, "enrolled", country_code, org, agency or "other",
                 done == "yes", now, now)
            )  # fmt: skip
    with connection:
        connection.executemany(
            "INSERT INTO training_sessions (id, code, course_id, course_version_id, host_country,"
            " city, venue, start_date, end_date, timezone, language, capacity, status, notes,"
            " imported, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            session_rows,
        )
        connection.executemany(
            "INSERT INTO participants (id, full_name, name_key, email, country_code, organisation,"
            " agency_type, job_title, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            people_rows,
        )
        connection.executemany(
            "INSERT INTO enrolments (training_session_id, participant_id, status, country_code,"
            " organisation, agency_type, completed, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            enrolments,
        )
    seconds = time.perf_counter() - started
    counts = _counts(connection)
    connection.close()
    return {"seconds": seconds, "peak_mb": _peak_mb(), "counts": counts}


def real_import(csv_path: str, url: str, repeat: bool) -> dict:
    """Run the application's import service (the one behind the page and the CLI)."""
    from app import create_app
    from app.extensions import db
    from app.history.services import import_history

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        base_mb = _peak_mb()
        started = time.perf_counter()
        data = Path(csv_path).read_bytes()
        report = import_history(Path(csv_path).name, data, write=True)
        db.session.commit()
        seconds = time.perf_counter() - started
        assert report.ok, report.errors[:5]
        result = {
            "seconds": seconds,
            "peak_mb": _peak_mb(),
            "base_mb": base_mb,
            "created": report.created,
            "summary": report.summary_lines(),
        }
        if repeat:
            started = time.perf_counter()
            again = import_history(Path(csv_path).name, Path(csv_path).read_bytes(), write=True)
            db.session.commit()
            result["repeat_seconds"] = time.perf_counter() - started
            result["repeat_created"] = again.created
        db.session.remove()
        with db.engine.connect() as connection:
            result["counts"] = _counts(connection.connection.dbapi_connection)
    return result


def _counts(connection) -> tuple[int, int, int]:
    return tuple(
        connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("training_sessions", "participants", "enrolments")
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _in_fresh_process(function, *args):
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, args)


def run() -> list[str]:
    """Generate the file, time the floor and the real import, and return printable lines."""
    with tempfile.TemporaryDirectory(prefix="bench-history-") as folder:
        folder_path = Path(folder)
        csv_path = folder_path / "history.csv"
        started = time.perf_counter()
        generate(csv_path)
        generated = time.perf_counter() - started
        template = folder_path / "template.db"
        create_database(template)
        codes = _country_codes()

        def fresh(name: str) -> Path:
            path = folder_path / name
            shutil.copy(template, path)
            return path

        # Best of several runs, each on a fresh database in a fresh process: the machine may
        # be busy with other work, and the minimum is the least disturbed measurement.
        floors = [
            _in_fresh_process(floor, str(csv_path), str(fresh(f"floor{n}.db")), codes)
            for n in range(FLOOR_RUNS)
        ]
        reals = [
            _in_fresh_process(
                real_import, str(csv_path), f"sqlite:///{fresh(f'real{n}.db')}", n == 0
            )
            for n in range(IMPORT_RUNS)
        ]
        size_mb = csv_path.stat().st_size / 1e6
    bare = min(floors, key=lambda result: result["seconds"])
    real = min(reals, key=lambda result: result["seconds"])
    peak_mb = max(result["peak_mb"] for result in reals)
    ratio = real["seconds"] / bare["seconds"]
    verdict = "ok" if ratio <= TARGET_RATIO and peak_mb < TARGET_MB else "OVER TARGET"
    return [
        f"history import: {ROWS:,} rows, {SESSIONS:,} sessions, {PEOPLE:,} people "
        f"({size_mb:.1f} MB CSV, generated in {generated:.1f} s), SQLite",
        f"  floor (csv + dicts + sqlite3 executemany), best of {FLOOR_RUNS}: "
        f"{bare['seconds']:.2f} s, {ROWS / bare['seconds']:,.0f} rows/s, "
        f"peak {bare['peak_mb']:.0f} MB, rows {bare['counts']}",
        f"  import service (flask import history), best of {IMPORT_RUNS}: "
        f"{real['seconds']:.2f} s, {ROWS / real['seconds']:,.0f} rows/s, "
        f"peak {peak_mb:.0f} MB (process before import {real['base_mb']:.0f} MB), "
        f"rows {real['counts']}",
        f"  ratio {ratio:.1f}x (target <= {TARGET_RATIO}x), peak memory {peak_mb:.0f} MB "
        f"(target < {TARGET_MB} MB): {verdict}",
        f"  re-import of the same file: {reals[0]['repeat_seconds']:.2f} s, "
        f"{reals[0]['repeat_created']} created",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
