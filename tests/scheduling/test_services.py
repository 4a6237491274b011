from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.scheduling import services
from app.scheduling.models import PartnerOrganisation, SessionStatus
from app.scheduling.services import AgendaRow, SchedulingError
from app.shared.countries import country_choices
from app.shared.legal_traditions import tradition_for_country
from tests import factories
from tests.scheduling.helpers import details


@pytest.fixture
def trainer(app):
    return factories.make_user(roles=("trainer",), name="Tess Trainer")


@pytest.fixture
def course(app):
    return factories.make_course(code="CFCAC", languages=["en", "fr"])


def create(course, trainer, **overrides):
    return services.create_training_session(course, details(trainer, **overrides), trainer)


def errors_of(excinfo) -> dict:
    return excinfo.value.errors


# --- Creating and validation -------------------------------------------------------------------


def test_create_sets_defaults_code_and_draft(course, trainer):
    ts = create(course, trainer)
    assert ts.code == "CFCAC-2026-KE-01"
    assert ts.status == SessionStatus.DRAFT
    assert ts.course_version == course.current_version
    assert ts.timezone == "Africa/Nairobi"
    assert ts.legal_tradition == tradition_for_country("KE")
    assert ts.trainers == [trainer]
    assert ts.created_by == trainer


def test_code_sequence_per_course_year_and_country(course, trainer):
    assert create(course, trainer).code == "CFCAC-2026-KE-01"
    assert create(course, trainer).code == "CFCAC-2026-KE-02"
    assert create(course, trainer, host_country="UG", city="Kampala").code == "CFCAC-2026-UG-01"
    later = create(course, trainer, start_date=date(2027, 1, 5), end_date=date(2027, 1, 6))
    assert later.code == "CFCAC-2027-KE-01"
    other = factories.make_course(code="OSINT")
    assert create(other, trainer).code == "OSINT-2026-KE-01"


def test_code_sequence_continues_after_the_highest_number(course, trainer):
    factories.make_training_session(course=course, code="CFCAC-2026-KE-07")
    factories.make_training_session(course=course, code="CFCAC-2026-KE-x")
    assert services.next_session_code(course, 2026, "KE") == "CFCAC-2026-KE-08"


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"end_date": date(2026, 3, 1)}, "end_date", "before the first day"),
        ({"capacity": 0}, "capacity", "at least 1"),
        ({"capacity": None}, "capacity", "at least 1"),
        ({"country_quota": 0}, "country_quota", "at least 1"),
        ({"country_quota": 21}, "country_quota", "above the capacity"),
        ({"enrolment_deadline": date(2026, 3, 3)}, "enrolment_deadline", "after the first day"),
        ({"host_country": "ZZ"}, "host_country", "host country"),
        ({"city": "  "}, "city", "city"),
        ({"language": "de"}, "language", "en, fr"),
        ({"timezone": "Mars/Olympus"}, "timezone", "time zone"),
        ({"legal_tradition": "martial"}, "legal_tradition", "legal tradition"),
        ({"trainers": []}, "trainers", "at least one trainer"),
    ],
)
def test_each_rule_names_its_field(course, trainer, overrides, field, fragment):
    with pytest.raises(SchedulingError) as excinfo:
        create(course, trainer, **overrides)
    assert fragment in " ".join(errors_of(excinfo)[field])


def test_valid_edge_values_pass(course, trainer):
    ts = create(
        course,
        trainer,
        end_date=date(2026, 3, 2),
        capacity=1,
        country_quota=1,
        enrolment_deadline=date(2026, 3, 2),
    )
    assert ts.days == [date(2026, 3, 2)]


def test_trainers_must_hold_the_trainer_role(course, trainer):
    participant = factories.make_user(roles=("participant",), name="Pat")
    with pytest.raises(SchedulingError) as excinfo:
        create(course, trainer, trainers=[trainer, participant])
    assert "Pat does not hold the trainer role." in errors_of(excinfo)["trainers"]


def test_retired_course_cannot_be_scheduled(trainer):
    retired = factories.make_course(retired=True)
    with pytest.raises(SchedulingError) as excinfo:
        create(retired, trainer)
    assert "retired" in errors_of(excinfo)["course"][0]


def test_partners_picked_and_typed_are_joined_and_created_once(course, trainer):
    existing = factories.make_partner("Kenya Police Academy")
    ts = create(
        course,
        trainer,
        partners=[existing],
        new_partner_names="INTERPOL,  kenya police academy , Tech Coalition,",
    )
    assert [p.name for p in ts.partners] == ["INTERPOL", "Kenya Police Academy", "Tech Coalition"]
    assert ts.partners[1] is existing
    second = create(course, trainer, new_partner_names="interpol")
    assert second.partners == [ts.partners[0]]


def test_partner_count_is_stable(course, trainer, app):
    from app.extensions import db

    create(course, trainer, new_partner_names="A Org, B Org")
    create(course, trainer, new_partner_names="a org")
    assert db.session.query(PartnerOrganisation).count() == 2


# --- Updating --------------------------------------------------------------------------------


def test_update_moves_agenda_with_the_first_day(course, trainer):
    ts = create(course, trainer)
    module = course.current_version.modules[0]
    services.set_agenda(ts, [AgendaRow(date(2026, 3, 3), module.id, None)])
    services.update_training_session(
        ts, details(trainer, start_date=date(2026, 4, 6), end_date=date(2026, 4, 8)), trainer
    )
    assert ts.agenda_items[0].day == date(2026, 4, 7)
    assert ts.code == "CFCAC-2026-KE-01"  # the code never changes


def test_update_refuses_to_cut_off_agenda_days(course, trainer):
    ts = create(course, trainer)
    module = course.current_version.modules[0]
    services.set_agenda(ts, [AgendaRow(date(2026, 3, 4), module.id, None)])
    with pytest.raises(SchedulingError) as excinfo:
        services.update_training_session(ts, details(trainer, end_date=date(2026, 3, 3)), trainer)
    assert "move them first" in errors_of(excinfo)["end_date"][0]


def test_update_validates_like_create(course, trainer):
    ts = create(course, trainer)
    with pytest.raises(SchedulingError) as excinfo:
        services.update_training_session(ts, details(trainer, capacity=5, country_quota=6), trainer)
    assert "country_quota" in errors_of(excinfo)


# --- Agenda ----------------------------------------------------------------------------------


def test_agenda_hours_default_to_the_module_and_positions_follow_order(course, trainer):
    ts = create(course, trainer)
    intro, evidence, _special = course.current_version.modules
    items = services.set_agenda(
        ts,
        [
            AgendaRow(date(2026, 3, 3), evidence.id, Decimal("5")),
            AgendaRow(date(2026, 3, 2), intro.id, None),
            AgendaRow(date(2026, 3, 2), evidence.id, Decimal("1")),
            AgendaRow(date(2026, 3, 2), None, None),  # an empty line is dropped
        ],
    )
    assert [(i.day.day, i.position, i.course_module.slug, i.hours) for i in items] == [
        (2, 0, "intro", Decimal("3")),
        (2, 1, "evidence", Decimal("1")),
        (3, 0, "evidence", Decimal("5")),
    ]


def test_agenda_day_must_be_inside_the_session(course, trainer):
    ts = create(course, trainer)
    module = course.current_version.modules[0]
    with pytest.raises(SchedulingError) as excinfo:
        services.set_agenda(ts, [AgendaRow(date(2026, 3, 5), module.id, None)])
    assert "inside the session" in errors_of(excinfo)["agenda-0-day"][0]


def test_agenda_modules_come_from_the_session_version(course, trainer):
    ts = create(course, trainer)
    foreign = factories.make_course().current_version.modules[0]
    with pytest.raises(SchedulingError) as excinfo:
        services.set_agenda(ts, [AgendaRow(date(2026, 3, 2), foreign.id, None)])
    assert "course version" in errors_of(excinfo)["agenda-0-course_module_id"][0]


def test_a_day_holds_at_most_eight_hours(course, trainer):
    ts = create(course, trainer)
    intro, evidence, _special = course.current_version.modules
    services.set_agenda(  # 3 + 5 = 8 fits
        ts,
        [AgendaRow(date(2026, 3, 2), intro.id, None), AgendaRow(date(2026, 3, 2), evidence.id, 5)],
    )
    with pytest.raises(SchedulingError) as excinfo:
        services.set_agenda(  # 3 + 6 = 9 does not
            ts,
            [
                AgendaRow(date(2026, 3, 2), intro.id, None),
                AgendaRow(date(2026, 3, 2), evidence.id, None),
            ],
        )
    assert "at most 8" in errors_of(excinfo)["agenda-1-hours"][0]
    assert len(ts.agenda_items) == 2  # the failed save changed nothing


def test_agenda_hours_must_be_positive(course, trainer):
    ts = create(course, trainer)
    module = course.current_version.modules[0]
    with pytest.raises(SchedulingError) as excinfo:
        services.set_agenda(ts, [AgendaRow(date(2026, 3, 2), module.id, Decimal("0"))])
    assert "agenda-0-hours" in errors_of(excinfo)


def test_suggested_agenda_fills_days_splitting_modules_and_skips_other_traditions(trainer):
    course = factories.make_course(
        modules=[("a", 3, ["all"]), ("b", 6, ["all"]), ("c", 4, ["common_law"]), ("d", 10, ["all"])]
    )
    ts = create(
        course,
        trainer,
        host_country="FR",
        city="Lyon",
        language="en",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 5),
    )
    assert ts.legal_tradition == "civil_law"
    rows = services.suggest_agenda(ts)
    placed = [(row.day.day, row.course_module_id, row.hours) for row in rows]
    a, b, _c, d = (m.id for m in course.current_version.modules)
    assert placed == [(2, a, 3), (2, b, 5), (3, b, 1), (3, d, 7), (4, d, 3)]
    services.set_agenda(ts, rows)  # a suggestion always passes the rules


# --- Overlaps --------------------------------------------------------------------------------


def test_overlap_same_course_and_country_within_30_days(course, trainer):
    first = create(course, trainer)  # 2-4 March
    near = create(course, trainer, start_date=date(2026, 4, 3), end_date=date(2026, 4, 3))
    assert services.overlaps_for(near) == [first]
    assert services.overlaps_for(first) == [near]
    edge = create(course, trainer, start_date=date(2026, 1, 25), end_date=date(2026, 1, 31))
    assert services.overlaps_for(edge) == [first]  # exactly 30 days before the start


def test_overlap_excludes_31_days_cancelled_other_course_and_other_country(course, trainer):
    first = create(course, trainer)  # ends 4 March
    far = create(course, trainer, start_date=date(2026, 4, 4), end_date=date(2026, 4, 5))
    assert services.overlaps_for(far) == []
    before = create(course, trainer, start_date=date(2026, 1, 20), end_date=date(2026, 1, 30))
    assert services.overlaps_for(before) == []  # 31 days before the start
    other_course = factories.make_course()
    other = services.create_training_session(other_course, details(trainer), trainer)
    assert first not in services.overlaps_for(other)
    elsewhere = create(course, trainer, host_country="UG", city="Kampala")
    assert services.overlaps_for(elsewhere) == []
    cancelled = create(course, trainer, start_date=date(2026, 3, 10), end_date=date(2026, 3, 11))
    services.change_status(cancelled, SessionStatus.CANCELLED, trainer, "Venue flooded")
    assert cancelled not in services.overlaps_for(first)
    assert services.overlaps_for(cancelled) == []


def test_overlap_message_names_code_dates_and_city(course, trainer):
    first = create(course, trainer)
    message = services.overlap_message(first)
    assert "CFCAC-2026-KE-01" in message
    assert "2 Mar 2026" in message
    assert "4 Mar 2026" in message
    assert "Nairobi" in message


# --- Legal traditions ------------------------------------------------------------------------


def test_every_country_has_a_known_tradition():
    from tests.shared.test_legal_traditions import all_traditions

    table = all_traditions()
    codes = {code for code, _name in country_choices()}
    assert codes <= set(table), codes - set(table)
    assert set(table.values()) <= {"common_law", "civil_law", "mixed", "religious", "customary"}
    assert table["XK"] == "civil_law"
    assert table["GB"] == "common_law"
    assert table["FR"] == "civil_law"
    assert table["ZA"] == "mixed"


def test_tradition_csv_names_its_source():
    from app.shared.legal_traditions import DATA_FILE

    header = DATA_FILE.read_text().split("country_code")[0]
    assert "JuriGlobe" in header
    assert "CIA World Factbook" in header
    assert "2026" in header


def test_tradition_default_override_and_flags(course, trainer):
    default = create(course, trainer, host_country="FR", city="Lyon")
    assert default.legal_tradition == "civil_law"
    special = course.current_version.modules[2]  # common_law only
    services.set_agenda(default, [AgendaRow(date(2026, 3, 2), special.id, None)])
    flags = services.tradition_flags(default)
    assert flags[special.id] == (
        "This module covers common-law rules; the session follows civil law."
    )
    override = create(course, trainer, host_country="FR", city="Lyon", legal_tradition="common_law")
    assert override.legal_tradition == "common_law"
    services.set_agenda(override, [AgendaRow(date(2026, 3, 2), special.id, None)])
    assert services.tradition_flags(override) == {}


def test_mixed_tradition_accepts_common_law_modules(course, trainer):
    ts = create(course, trainer, host_country="ZA", city="Pretoria")
    special = course.current_version.modules[2]
    services.set_agenda(ts, [AgendaRow(date(2026, 3, 2), special.id, None)])
    assert ts.legal_tradition == "mixed"
    assert services.tradition_flags(ts) == {}


def test_edit_back_to_default_follows_the_new_country(course, trainer):
    ts = create(course, trainer, host_country="FR", city="Lyon", legal_tradition="common_law")
    services.update_training_session(ts, details(trainer, host_country="GB", city="Leeds"), trainer)
    assert ts.legal_tradition == "common_law"
    services.update_training_session(ts, details(trainer, host_country="DE", city="Bonn"), trainer)
    assert ts.legal_tradition == "civil_law"
    assert ts.timezone == "Europe/Berlin"


# --- Status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "new"),
    [
        ("draft", "open"),
        ("open", "draft"),
        ("open", "in_progress"),
        ("in_progress", "completed"),
        ("draft", "cancelled"),
        ("open", "cancelled"),
        ("in_progress", "cancelled"),
    ],
)
def test_allowed_transitions(course, trainer, start, new):
    ts = create(course, trainer)
    ts.status = start
    services.change_status(ts, new, trainer, reason="Security situation")
    assert ts.status == new


@pytest.mark.parametrize(
    ("start", "new"),
    [
        ("draft", "in_progress"),
        ("draft", "completed"),
        ("open", "completed"),
        ("in_progress", "open"),
        ("completed", "cancelled"),
        ("completed", "open"),
        ("cancelled", "open"),
        ("cancelled", "draft"),
        ("open", "archived"),
    ],
)
def test_refused_transitions(course, trainer, start, new):
    ts = create(course, trainer)
    ts.status = start
    with pytest.raises(SchedulingError) as excinfo:
        services.change_status(ts, new, trainer, reason="x")
    assert "new_status" in errors_of(excinfo)
    assert ts.status == start


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_cancelling_needs_a_reason(course, trainer, reason):
    ts = create(course, trainer)
    with pytest.raises(SchedulingError) as excinfo:
        services.change_status(ts, SessionStatus.CANCELLED, trainer, reason)
    assert "reason" in errors_of(excinfo)
    assert ts.status == SessionStatus.DRAFT


def test_cancelling_keeps_the_reason(course, trainer):
    ts = create(course, trainer)
    services.change_status(ts, SessionStatus.CANCELLED, trainer, "  Host agency asked to postpone ")
    assert ts.cancellation_reason == "Host agency asked to postpone"


def test_check_transition_is_reusable(course, trainer):
    ts = create(course, trainer)
    ts.status = SessionStatus.IN_PROGRESS
    services.check_transition(ts, SessionStatus.COMPLETED)
    assert services.allowed_transitions("in_progress") == ["completed", "cancelled"]
    assert services.allowed_transitions("completed") == []


def test_closed_sessions_cannot_be_edited(course, trainer):
    ts = create(course, trainer)
    services.change_status(ts, SessionStatus.CANCELLED, trainer, "Postponed")
    with pytest.raises(SchedulingError):
        services.update_training_session(ts, details(trainer), trainer)


def test_days_property_matches_dates(course, trainer):
    ts = create(course, trainer)
    assert ts.days == [date(2026, 3, 2) + timedelta(days=n) for n in range(3)]


def test_a_mixed_system_built_on_one_family_follows_it():
    from app.shared.legal_traditions import tradition_for_country

    assert tradition_for_country("GH") == "common_law"  # English common law; customary
    assert tradition_for_country("JO") == "civil_law"  # civil; Islamic; customary
    assert tradition_for_country("ZA") == "mixed"  # Roman-Dutch civil and English common law
    assert tradition_for_country("FR") == "civil_law"


# --- Planning and the agenda editor's starting point ---------------------------------------------


def test_planning_with_a_filled_agenda_places_the_suggestion(course, trainer):
    ts = services.plan_training_session(course, details(trainer), trainer, fill_agenda=True)
    placed = [(item.day, item.course_module_id, item.hours) for item in ts.agenda_items]
    assert placed == [
        (row.day, row.course_module_id, row.hours) for row in services.suggest_agenda(ts)
    ]
    assert placed


def test_planning_without_an_agenda_leaves_it_empty(course, trainer):
    ts = services.plan_training_session(course, details(trainer), trainer)
    assert ts.status == SessionStatus.DRAFT
    assert ts.agenda_items == []


def test_agenda_rows_start_from_the_saved_agenda_or_a_suggestion(course, trainer):
    ts = create(course, trainer)
    intro = course.current_version.modules[0]
    services.set_agenda(ts, [AgendaRow(date(2026, 3, 3), intro.id, Decimal("2"))])
    assert services.agenda_rows(ts) == [AgendaRow(date(2026, 3, 3), intro.id, Decimal("2"))]
    assert services.agenda_rows(ts, suggest=True) == services.suggest_agenda(ts)


def test_module_flags_explain_each_module_that_does_not_fit(trainer):
    course = factories.make_course(modules=[("a", 3, ["all"]), ("c", 4, ["common_law"])])
    ts = create(course, trainer, host_country="FR", city="Lyon", language="en")
    a, c = course.current_version.modules
    flags = services.module_flags(ts)
    assert flags[a.id] is None
    assert "common-law" in flags[c.id] and "civil law" in flags[c.id]


def test_missing_modules_follow_the_agenda_being_edited_and_count_alternatives_once(trainer):
    course = factories.make_course(
        modules=[
            ("a", 3, ["all"]),
            ("b1", 2, ["all"]),
            ("b2", 2, ["all"]),
            ("c", 4, ["common_law"]),
        ]
    )
    a, b1, b2, c = course.current_version.modules
    b1.alternative_group = b2.alternative_group = "b"
    ts = create(course, trainer, host_country="FR", city="Lyon", language="en")
    assert services.modules_not_on_agenda(ts) == [a, b1, b2]
    services.set_agenda(ts, [AgendaRow(date(2026, 3, 2), b2.id)])
    assert services.modules_not_on_agenda(ts) == [a]
    # Rows on the page, not yet saved, decide what the editor lists as missing.
    assert services.modules_not_on_agenda(ts, [a.id, None]) == [b1, b2]


@pytest.mark.parametrize(
    ("status", "steps", "cancellable", "closed"),
    [
        ("draft", ["open"], True, False),
        ("open", ["draft", "in_progress"], True, False),
        ("in_progress", ["completed"], True, False),
        ("completed", [], False, True),
        ("cancelled", [], False, True),
    ],
)
def test_next_steps_cancelling_and_closed_follow_the_life_cycle(
    course, trainer, status, steps, cancellable, closed
):
    ts = create(course, trainer)
    ts.status = status
    assert services.next_steps(ts) == steps
    assert services.can_cancel(ts) is cancellable
    assert ts.is_closed is closed
