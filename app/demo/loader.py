"""`flask demo load`: demonstration data for a first look (professional training only).

Everything goes through the domains' services, so the demo obeys the same rules as real use:
sessions are planned, opened, filled, attended, completed and certified as a trainer would.
Past programme years come in through the history import, as a programme's spreadsheets would.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.shared import clock
from app.shared.unit_of_work import cli_unit_of_work

demo_cli = AppGroup("demo", help="Demonstration data.")

PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo logins
ACCOUNTS = (
    ("admin@example.org", "Grace Mensah", ("admin",)),
    ("manager@example.org", "Ingrid Solberg", ("manager",)),
    ("trainer@example.org", "Daniel Okafor", ("trainer",)),
    ("trainer2@example.org", "María Fernández", ("trainer",)),
    ("trainer3@example.org", "Karim Haddad", ("trainer",)),
    ("participant@example.org", "Amina Wanjiru", ("participant",)),
    ("focal.point@example.org", "Wanjiku Kariuki", ("focal_point",)),
    ("focal.deputy@example.org", "Samuel Okello", ("focal_point",)),
)
# The national focal point of Kenya and Uganda, and the deputy who acts with the same scope.
FOCAL_POINT = ("focal.point@example.org", ("KE", "UG"))
FOCAL_DEPUTY = "focal.deputy@example.org"

# (full name as written, Latin transliteration, country, organisation, agency, gender)
PEOPLE = {
    "east-africa": [
        ("Amina Wanjiru", None, "KE", "Directorate of Criminal Investigations", "police", "female"),
        (
            "Brian Otieno",
            None,
            "KE",
            "Anti-Human Trafficking and Child Protection Unit",
            "police",
            "male",
        ),
        (
            "Grace Achieng",
            None,
            "KE",
            "Office of the Director of Public Prosecutions",
            "prosecution",
            "female",
        ),
        (
            "Joseph Mugisha",
            None,
            "UG",
            "Uganda Police Force, Child and Family Protection",
            "police",
            "male",
        ),
        (
            "Esther Nakato",
            None,
            "UG",
            "Ministry of Gender, Labour and Social Development",
            "child_protection",
            "female",
        ),
        ("Emmanuel Mushi", None, "TZ", "Tanzania Police Force, Cyber Crime Unit", "police", "male"),
        ("Neema Kileo", None, "TZ", "Department of Social Welfare", "child_protection", "female"),
        ("Jean-Paul Habimana", None, "RW", "Rwanda Investigation Bureau", "police", "male"),
        ("Claudine Uwase", None, "RW", "Isange One Stop Centre", "child_protection", "female"),
        (
            "Dawit Bekele",
            None,
            "ET",
            "Federal Police Commission, Cyber Crime Division",
            "police",
            "male",
        ),
        (
            "ሄለን ተስፋዬ",
            "Helen Tesfaye",
            "ET",
            "Federal Police Commission, Women and Children",
            "police",
            "female",
        ),
        ("Abdirahman Ali", None, "SO", "Somali Police Force, CID", "police", "male"),
    ],
    "mekong": [
        (
            "สมชาย ใจดี",
            "Somchai Jaidee",
            "TH",
            "Thailand Internet Crimes Against Children Task Force",
            "police",
            "male",
        ),
        (
            "วราภรณ์ ศรีสุข",
            "Waraporn Srisuk",
            "TH",
            "Ministry of Social Development and Human Security",
            "child_protection",
            "female",
        ),
        (
            "ณัฐวุฒิ บุญมา",
            "Nattawut Boonma",
            "TH",
            "Office of the Attorney General",
            "prosecution",
            "male",
        ),
        (
            "សុខ ចាន់ថា",
            "Sok Chantha",
            "KH",
            "Anti-Human Trafficking and Juvenile Protection Police",
            "police",
            "female",
        ),
        (
            "Nguyễn Văn Minh",
            None,
            "VN",
            "Ministry of Public Security, Department of Cyber Security",
            "police",
            "male",
        ),
        (
            "Trần Thị Hương",
            None,
            "VN",
            "Department of Children's Affairs",
            "child_protection",
            "female",
        ),
        ("ສົມພອນ ແກ້ວມະນີ", "Somphone Keomany", "LA", "Ministry of Public Security", "police", "male"),
        (
            "အောင်ကျော်ဦး",
            "Aung Kyaw Oo",
            "MM",
            "Myanmar Police Force, Anti-Trafficking Unit",
            "police",
            "male",
        ),
        (
            "Maria Santos",
            None,
            "PH",
            "Philippine National Police, Women and Children Protection Center",
            "police",
            "female",
        ),
        (
            "陈美玲",
            "Chen Meiling",
            "MY",
            "Royal Malaysia Police, Sexual Crimes Division",
            "police",
            "female",
        ),
    ],
    "mena": [
        (
            "أحمد المنصوري",
            "Ahmad Al-Mansouri",
            "JO",
            "Public Security Directorate, Family Protection",
            "police",
            "male",
        ),
        (
            "ليلى حداد",
            "Layla Haddad",
            "LB",
            "Internal Security Forces, Cybercrime Bureau",
            "police",
            "female",
        ),
        (
            "يوسف بنعلي",
            "Youssef Benali",
            "MA",
            "Présidence du Ministère Public",
            "prosecution",
            "male",
        ),
        (
            "مريم الشريف",
            "Mariam El-Sherif",
            "EG",
            "Public Prosecution, Child Division",
            "prosecution",
            "female",
        ),
        (
            "سامي الطرابلسي",
            "Sami Trabelsi",
            "TN",
            "Tribunal de première instance de Tunis",
            "judiciary",
            "male",
        ),
        (
            "نور الهدى العلي",
            "Nour Al-Houda Al-Ali",
            "JO",
            "Juvenile Court of Amman",
            "judiciary",
            "female",
        ),
        (
            "Karima Haddou",
            None,
            "DZ",
            "Direction Générale de la Sûreté Nationale",
            "police",
            "female",
        ),
        (
            "Omar Farouk",
            None,
            "EG",
            "National Council for Childhood and Motherhood",
            "child_protection",
            "male",
        ),
    ],
    "west-africa": [
        ("Kwame Asante", None, "GH", "Ghana Police Service, Cybercrime Unit", "police", "male"),
        (
            "Abena Owusu",
            None,
            "GH",
            "Domestic Violence and Victim Support Unit",
            "police",
            "female",
        ),
        (
            "Chinedu Okeke",
            None,
            "NG",
            "Nigeria Police Force, National Cybercrime Centre",
            "police",
            "male",
        ),
        (
            "Aisha Bello",
            None,
            "NG",
            "National Agency for the Prohibition of Trafficking in Persons",
            "government",
            "female",
        ),
        (
            "Mohamed Kamara",
            None,
            "SL",
            "Sierra Leone Police, Family Support Unit",
            "police",
            "male",
        ),
        ("Fatou Diop", None, "SN", "Brigade des mineurs, Police nationale", "police", "female"),
        (
            "Kouadio Yao",
            None,
            "CI",
            "Plateforme de Lutte Contre la Cybercriminalité",
            "police",
            "male",
        ),
        (
            "Comfort Tarr",
            None,
            "LR",
            "Liberia National Police, Women and Children Protection Section",
            "police",
            "female",
        ),
    ],
    "south-asia": [
        ("सीता श्रेष्ठ", "Sita Shrestha", "NP", "Nepal Police, Cyber Bureau", "police", "female"),
        (
            "राम बहादुर थापा",
            "Ram Bahadur Thapa",
            "NP",
            "Central Child Welfare Board",
            "child_protection",
            "male",
        ),
        (
            "प्रिया शर्मा",
            "Priya Sharma",
            "IN",
            "Central Bureau of Investigation, OCSAE Unit",
            "police",
            "female",
        ),
        ("Rahim Uddin", None, "BD", "Bangladesh Police, Cyber Police Centre", "police", "male"),
    ],
    "europe-americas": [
        (
            "Олена Коваленко",
            "Olena Kovalenko",
            "UA",
            "National Police of Ukraine, Cyber Police",
            "police",
            "female",
        ),
        (
            "Андрій Мельник",
            "Andriy Melnyk",
            "UA",
            "Office of the Prosecutor General",
            "prosecution",
            "male",
        ),
        (
            "Camila Rodríguez",
            None,
            "CO",
            "Policía Nacional, Dirección de Investigación Criminal",
            "police",
            "female",
        ),
        (
            "Juan Pablo Gómez",
            None,
            "CO",
            "Instituto Colombiano de Bienestar Familiar",
            "child_protection",
            "male",
        ),
        (
            "Lucía Hernández",
            None,
            "MX",
            "Fiscalía General de la República",
            "prosecution",
            "female",
        ),
        (
            "João Pereira",
            None,
            "BR",
            "Polícia Federal, Unidade de Repressão a Crimes Cibernéticos",
            "police",
            "male",
        ),
        (
            "Sofía Álvarez",
            None,
            "PE",
            "Policía Nacional del Perú, División de Alta Tecnología",
            "police",
            "female",
        ),
        ("Zoë Müller", None, "DE", "Hotline Partner Association", "ngo", "female"),
    ],
}


@dataclass
class DemoSession:
    """A session the demo plans, with who attends and how it went."""

    course: str
    country: str
    city: str
    venue: str
    start: date
    days: int
    status: str
    people: str
    trainers: tuple[str, ...]
    partners: str = "INTERPOL Crimes Against Children Unit, National Police Academy"
    language: str = "en"
    capacity: int = 24
    quota: int | None = None


def _sessions(today: date) -> list[DemoSession]:
    return [
        DemoSession(
            "cfcac",
            "KE",
            "Nairobi",
            "Kenya School of Government",
            date(2025, 3, 10),
            5,
            "completed",
            "east-africa",
            ("trainer@example.org", "trainer2@example.org"),
            quota=4,
        ),
        DemoSession(
            "child-protection-online-abuse",
            "TH",
            "Bangkok",
            "Royal Thai Police Training Centre",
            date(2025, 9, 15),
            3,
            "completed",
            "mekong",
            ("trainer2@example.org",),
        ),
        DemoSession(
            "prosecutors-judges",
            "JO",
            "Amman",
            "Judicial Institute of Jordan",
            date(2026, 5, 18),
            4,
            "completed",
            "mena",
            ("trainer3@example.org",),
            language="ar",
        ),
        DemoSession(
            "cfcac",
            "GH",
            "Accra",
            "Ghana Police Academy",
            today - timedelta(days=2),
            5,
            "in_progress",
            "west-africa",
            ("trainer@example.org",),
            language="en",
        ),
        DemoSession(
            "child-protection-online-abuse",
            "PH",
            "Manila",
            "Philippine Public Safety College",
            today + timedelta(days=51),
            3,
            "open",
            "",
            ("trainer2@example.org",),
        ),
        DemoSession(
            "train-the-trainer",
            "RW",
            "Kigali",
            "Rwanda National Police College",
            today + timedelta(days=95),
            4,
            "open",
            "",
            ("trainer@example.org",),
            capacity=16,
        ),
        DemoSession(
            "cfcac",
            "CO",
            "Bogotá",
            "Escuela de Investigación Criminal",
            today + timedelta(days=72),
            5,
            "open",
            "",
            ("trainer2@example.org",),
            language="es",
        ),
        DemoSession(
            "cfcac",
            "NP",
            "Kathmandu",
            "Nepal Police Academy",
            today + timedelta(days=150),
            5,
            "draft",
            "",
            ("trainer3@example.org",),
        ),
    ]


def _account(email: str):
    from app.accounts.services import find_user_by_email

    return find_user_by_email(email)


def _create_accounts() -> None:
    from app.accounts.services import create_user

    for email, name, roles in ACCOUNTS:
        create_user(email, name, set(roles), PASSWORD)


def _scope_focal_points() -> None:
    from app.accounts.focal_points import set_focal_point_scope

    email, countries = FOCAL_POINT
    set_focal_point_scope(_account(email), countries)
    set_focal_point_scope(_account(FOCAL_DEPUTY), deputy_of=_account(email))


def _create_people() -> dict[str, list]:
    from app.enrolment.services import create_participant

    people: dict[str, list] = {}
    for group, rows in PEOPLE.items():
        for full_name, latin, country, organisation, agency, gender in rows:
            slug = (latin or full_name).lower().replace(" ", ".").replace("'", "")
            email = (
                "participant@example.org"
                if full_name == "Amina Wanjiru"
                else (f"{slug}@example.org" if len(people.get(group, [])) % 3 != 2 else None)
            )
            person = create_participant(
                {
                    "full_name": full_name,
                    "latin_name": latin,
                    "email": email,
                    "country_code": country,
                    "organisation": organisation,
                    "agency_type": agency,
                    "job_title": "Investigator" if agency == "police" else "Officer",
                    "gender": gender,
                    "preferred_language": None,
                }
            )
            people.setdefault(group, []).append(person)
    amina = people["east-africa"][0]
    amina.user = _account("participant@example.org")
    return people


def _plan(spec: DemoSession):
    from app.curriculum.models import Course
    from app.scheduling import services as scheduling

    course = db.session.scalar(select(Course).where(Course.slug == spec.course))
    trainers = [_account(email) for email in spec.trainers]
    details = scheduling.SessionDetails(
        host_country=spec.country,
        city=spec.city,
        venue=spec.venue,
        start_date=spec.start,
        end_date=spec.start + timedelta(days=spec.days - 1),
        capacity=spec.capacity,
        language=spec.language,
        country_quota=spec.quota,
        enrolment_deadline=spec.start - timedelta(days=14),
        trainers=trainers,
        new_partner_names=spec.partners,
    )
    training_session = scheduling.create_training_session(course, details, trainers[0])
    scheduling.set_agenda(training_session, scheduling.suggest_agenda(training_session))
    return training_session, trainers[0]


def _run_session(spec: DemoSession, people: dict[str, list], rng: random.Random) -> None:
    from app.attendance import completion
    from app.attendance import services as attendance
    from app.enrolment import services as enrolment
    from app.scheduling import services as scheduling

    training_session, trainer = _plan(spec)
    if spec.status == "draft":
        return
    scheduling.change_status(training_session, "open", trainer)
    for person in people.get(spec.people, []):
        enrolment.add_directly(person, training_session, trainer)
    if spec.status == "open":
        return
    scheduling.change_status(training_session, "in_progress", trainer)
    today = clock.today_in(training_session.timezone)
    for day in training_session.days:
        if day > today:
            break
        attendance.mark_all(training_session, day, trainer)
        for row in attendance.roll_call_rows(training_session, day):
            roll = rng.random()
            if roll < 0.05:
                attendance.mark(training_session, row.enrolment_id, day, "absent", trainer)
            elif roll < 0.10:
                attendance.mark(training_session, row.enrolment_id, day, "late", trainer)
            elif roll < 0.13:
                attendance.mark(training_session, row.enrolment_id, day, "excused", trainer)
    if spec.status == "completed":
        completion.complete_session(training_session, trainer)
        from app.certificates.services import issue_for_session

        issue_for_session(training_session, trainer, notify=False)


def _requests_for_open_sessions(people: dict[str, list]) -> None:
    """Let the demo participant ask for a place on the train-the-trainer course."""
    from app.enrolment.services import request_place
    from app.scheduling.models import TrainingSession

    amina = people["east-africa"][0]
    kigali = db.session.scalar(select(TrainingSession).where(TrainingSession.city == "Kigali"))
    request_place(amina, kigali, amina.user)
    manila = db.session.scalar(select(TrainingSession).where(TrainingSession.city == "Manila"))
    for person in people["mekong"][:3]:
        request_place(person, manila, _account("trainer2@example.org"))


def _call_for_nominations(people: dict[str, list]) -> None:
    """Open a call on the Kigali course; Kenya and Uganda nominate, each nominee further along."""
    from datetime import datetime, time

    from app.nominations import services as nominations
    from app.scheduling.models import TrainingSession

    kigali = db.session.scalar(select(TrainingSession).where(TrainingSession.city == "Kigali"))
    trainer = kigali.trainers[0]
    deadline = datetime.combine(clock.today_in(kigali.timezone) + timedelta(days=30), time(17))
    call = nominations.open_call(
        kigali,
        trainer,
        deadline_local=deadline,
        countries={"KE": 2, "UG": 2, "TZ": 2, "RW": 3},
        agency_types=["police", "child_protection", "prosecution"],
        min_years_of_service=3,
        other_criteria="Works on cases of child sexual exploitation.",
        women_target_percent=50,
    )
    focal_point, deputy = _account(FOCAL_POINT[0]), _account(FOCAL_DEPUTY)
    by_name = {person.full_name: person for person in people["east-africa"]}

    def nominate(name: str, actor, years: int):
        return nominations.nominate(
            call,
            by_name[name],
            actor,
            justification="Leads the unit's online abuse cases.",
            years_of_service=years,
            speaks_working_language=True,
            meets_other_criteria=True,
        )

    nominate("Brian Otieno", focal_point, 6)  # nominated, not yet endorsed
    reviewed = nominate("Grace Achieng", focal_point, 9)
    nominations.endorse(reviewed, focal_point)
    nominations.start_review(reviewed, trainer)
    accepted = nominate("Esther Nakato", deputy, 7)
    nominations.endorse(accepted, deputy)
    nominations.start_review(accepted, trainer)
    nominations.start_vetting(accepted, trainer)
    nominations.record_vetting(
        accepted,
        trainer,
        outcome="cleared",
        checked_on=clock.today_in(kigali.timezone),
        external_reference="Embassy vetting ref 2026/114",
    )
    nominations.accept(accepted, trainer)
    declined = nominate("Joseph Mugisha", deputy, 2)
    nominations.endorse(declined, deputy)
    nominations.start_review(declined, trainer)
    nominations.decline(declined, trainer, "Fewer than the three years of service the call asks.")


def _history_rows(rng: random.Random) -> str:
    """Build a past-programme spreadsheet (2021-2024) like those programmes keep."""
    from app.history.services import COLUMNS

    countries = [
        "KE",
        "UG",
        "TZ",
        "ZA",
        "NG",
        "GH",
        "SN",
        "CM",
        "MA",
        "EG",
        "JO",
        "TH",
        "PH",
        "ID",
        "VN",
        "IN",
        "NP",
        "BR",
        "CO",
        "MX",
        "PE",
        "UA",
        "MD",
        "GE",
        "KZ",
        "FJ",
    ]
    courses = ["cfcac", "child-protection-online-abuse", "prosecutors-judges"]
    cities = {
        "KE": "Mombasa",
        "ZA": "Pretoria",
        "NG": "Abuja",
        "SN": "Dakar",
        "CM": "Yaoundé",
        "MA": "Rabat",
        "TH": "Chiang Mai",
        "ID": "Jakarta",
        "BR": "Brasília",
        "MX": "Ciudad de México",
        "UA": "Kyiv",
        "GE": "Tbilisi",
        "KZ": "Astana",
        "FJ": "Suva",
        "PE": "Lima",
    }
    agencies = ["police"] * 6 + ["prosecution", "judiciary", "child_protection", "ngo"]
    organisations = {
        "police": "National Police",
        "prosecution": "Office of the Public Prosecutor",
        "judiciary": "High Court",
        "child_protection": "Department of Children's Services",
        "ngo": "National Child Helpline",
    }
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(COLUMNS)
    hosts = list(cities)
    for number in range(14):
        year = 2021 + number // 4
        host = hosts[number % len(hosts)]
        course = courses[number % len(courses)]
        start = date(year, 1 + (number * 5) % 12, 5 + number)
        code = f"HIST-{year}-{host}-{number + 1:02d}"
        region = rng.sample(countries, 4) + [host]
        for seat in range(rng.randint(12, 22)):
            country = rng.choice(region)
            agency = rng.choice(agencies)
            writer.writerow(
                [
                    course,
                    code,
                    host,
                    cities[host],
                    start.isoformat(),
                    (start + timedelta(days=4)).isoformat(),
                    f"Officer {code[-5:]}-{seat + 1:02d}",
                    "",
                    country,
                    organisations[agency],
                    agency,
                    "no" if rng.random() < 0.08 else "yes",
                ]
            )
    return output.getvalue()


@demo_cli.command("load")
@with_appcontext
def load_demo_command() -> None:
    """Load demo data once; running it again changes nothing."""
    from app.accounts.models import User
    from app.credentials import keys
    from app.curriculum.models import Course
    from app.curriculum.sync import sync_courses
    from app.history.services import import_history

    if db.session.scalar(select(func.count(User.id)).where(User.email == ACCOUNTS[0][0])):
        click.echo("Demo data already loaded.")
        _print_logins()
        return
    with cli_unit_of_work():
        if not db.session.scalar(select(func.count(Course.id))):
            sync_courses(Path(current_app.config["COURSES_DIR"]))
        if keys.signing_key() is None:  # so the demo's certificates carry signed credentials
            keys.create_key()
        rng = random.Random(2026)  # noqa: S311 - demo variety, not security
        _create_accounts()
        _scope_focal_points()
        people = _create_people()
        for spec in _sessions(clock.today_in(None)):
            _run_session(spec, people, rng)
        _requests_for_open_sessions(people)
        _call_for_nominations(people)
        import_history("past-programme.csv", _history_rows(rng).encode(), write=True)
    click.echo("Demo data loaded.")
    _print_logins()


def _print_logins() -> None:
    click.echo(f"Demo logins (password for all: {PASSWORD}):")
    for email, name, roles in ACCOUNTS:
        click.echo(f"  {email:<26} {name:<18} {', '.join(roles)}{_scope_line(email)}")


def _scope_line(email: str) -> str:
    """Say whom a demo focal point acts for, after their roles."""
    if email == FOCAL_POINT[0]:
        return f" ({', '.join(FOCAL_POINT[1])})"
    return f" (deputy of {FOCAL_POINT[0]})" if email == FOCAL_DEPUTY else ""
