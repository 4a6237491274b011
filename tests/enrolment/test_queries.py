"""The reads enrolment's pages are built on: one search, the directory, a session's lists."""

import pytest
from sqlalchemy import select

from app.enrolment import queries, services
from app.enrolment.models import Participant
from app.enrolment.queries import DirectoryFilters
from tests import factories
from tests.enrolment.helpers import enrol, scene

pytestmark = pytest.mark.usefixtures("app")


def _manager():
    return factories.make_user(roles=("manager",))


def test_search_finds_by_folded_name_latin_name_or_email_and_can_leave_one_out():
    thai = factories.make_participant("สมชาย ใจดี", country_code="TH", latin_name="Somchai Jaidee")
    accented = factories.make_participant("José Álvarez", email="jose@police.example")
    factories.make_participant("Someone Else")
    manager = _manager()
    assert queries.search_participants(manager, "somchai") == [thai]
    assert queries.search_participants(manager, "jose alvarez") == [accented]
    assert queries.search_participants(manager, "POLICE.example") == [accented]
    assert queries.search_participants(manager, "jose", exclude=accented) == []


def test_a_trainer_finds_only_their_sessions_people_unless_the_email_is_exact():
    s = scene()
    mine = factories.make_participant("Amina Yusuf")
    stranger = factories.make_participant("Amina Other", email="amina.other@example.org")
    enrol(s.training_session, s.trainer, mine)
    assert queries.search_participants(s.trainer, "amina") == [mine]
    found = queries.search_participants(s.trainer, "amina.other@example.org", or_exact_email=True)
    assert found == [stranger]
    assert queries.search_participants(s.trainer, "amina.other@example.org") == []


def test_the_directory_pages_filters_and_counts_duplicates_for_its_keepers_only():
    s = scene()
    twins = [factories.make_participant("Grace Wanjiru", country_code="KE") for _ in range(2)]
    factories.make_participant("Peter Otieno", country_code="UG", agency_type="ngo")
    enrol(s.training_session, s.trainer, twins[0])
    listing = queries.directory_page(_manager(), DirectoryFilters(), 1)
    assert listing.total == 3 and listing.duplicate_count == 2
    assert listing.countries == [("KE", "Kenya"), ("UG", "Uganda")]
    only_twins = queries.directory_page(_manager(), DirectoryFilters(duplicates_only=True), 1)
    assert {line.id for line in only_twins.people} == {twin.id for twin in twins}
    ngo = queries.directory_page(_manager(), DirectoryFilters(agency="ngo"), 5)
    assert [p.full_name for p in ngo.people] == ["Peter Otieno"] and ngo.page == 1
    trainer_view = queries.directory_page(s.trainer, DirectoryFilters(), 1)
    assert [line.id for line in trainer_view.people] == [twins[0].id]
    assert trainer_view.duplicate_count == 0


def test_the_duplicates_figure_follows_every_change_to_the_directory():
    """The figure is kept between views, so each kind of write must move it at once."""
    from app.extensions import db

    manager = _manager()
    first = factories.make_participant("Grace Wanjiru", country_code="KE")
    other = factories.make_participant("Peter Otieno", country_code="KE")
    db.session.commit()

    def figure() -> int:
        return queries.directory_page(manager, DirectoryFilters(), 1).duplicate_count

    assert figure() == 0
    assert figure() == 0  # kept
    twin = factories.make_participant("Grace  Wanjirũ", country_code="KE")
    db.session.commit()
    assert figure() == 2  # a new person
    # A filtered view does not count the whole directory again.
    assert queries.directory_page(manager, DirectoryFilters(country="KE"), 1).duplicate_count == 0
    other.full_name = "Grace Wanjiru"
    db.session.commit()
    assert figure() == 3  # a rename
    twin.country_code = "UG"
    db.session.commit()
    assert figure() == 2  # a move to another country
    # A code outside ISO 3166 (an old record's) still gets its own place in the filter.
    factories.make_participant("Old Record", country_code="ZZ")
    db.session.commit()
    assert queries.directory_page(manager, DirectoryFilters(), 1).countries[-1][0] == "ZZ"
    db.session.delete(
        db.session.scalar(select(Participant).where(Participant.country_code == "ZZ"))
    )
    db.session.commit()
    # The country filter is kept with the figure, and follows the same changes.
    choices = queries.directory_page(manager, DirectoryFilters(), 1).countries
    assert [code for code, _name in choices] == ["KE", "UG"]
    db.session.delete(first)
    db.session.commit()
    assert figure() == 0  # a deletion (the merge's)


def test_the_directory_pages_without_repeating_or_skipping_namesakes():
    from app.extensions import db

    namesakes = {factories.make_participant("Maria Silva", country_code="BR").id for _ in range(55)}
    db.session.commit()
    manager = _manager()
    first = queries.directory_page(manager, DirectoryFilters(), 1).people
    second = queries.directory_page(manager, DirectoryFilters(), 2).people
    assert len(first) == 50 and len(second) == 5
    assert {p.id for p in first} | {p.id for p in second} == namesakes


def test_a_directory_page_is_read_in_the_order_of_an_index_not_sorted(database_url):
    """At 100,000 people, sorting everyone for each page of fifty took 17 ms; the index, 0.1."""
    from sqlalchemy import event

    from app.extensions import db

    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's EXPLAIN QUERY PLAN names the index; PostgreSQL's planner costs it")
    factories.make_participant("Grace Wanjiru")
    db.session.commit()
    seen: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "ORDER BY" in statement and "FROM participants" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        queries.directory_page(_manager(), DirectoryFilters(), 2)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    statement, parameters = next(found for found in seen if "lower(coalesce" in found[0])
    plan = " ".join(
        str(row[-1])
        for row in db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters
        )
    )
    assert "ix_participants_sort_name" in plan and "TEMP B-TREE" not in plan, plan


def test_a_trainer_adds_by_id_only_people_they_see_or_whose_email_they_typed():
    s = scene()
    stranger = factories.make_participant("Lina Haddad", email="lina@example.org")
    assert queries.person_to_add(s.trainer, str(stranger.id), "") is None
    assert queries.person_to_add(s.trainer, stranger.id, " LINA@example.org ") == stranger
    assert queries.person_to_add(_manager(), stranger.id, "") == stranger
    assert queries.person_to_add(_manager(), "x1", "") is None


def test_session_groups_sort_places_by_name_and_keep_the_waitlist_in_order():
    s = scene(capacity=2)
    zoe, adam, late, later = (
        factories.make_participant(name) for name in ("Zoe Z", "Adam A", "Late L", "Aaron Later")
    )
    enrol(s.training_session, s.trainer, zoe, adam, late, later)
    groups = queries.session_groups(s.training_session)
    assert [e.participant for e in groups["enrolled"]] == [adam, zoe]
    assert [e.participant for e in groups["waitlisted"]] == [late, later]
    assert groups["declined"] == [] and groups["withdrawn"] == []


def test_add_person_creates_enrols_and_invites_in_one_call(outbox):
    s = scene()
    added = services.add_person(
        {"full_name": "Nadia Rahman", "country_code": "BD", "email": "nadia@example.org"},
        s.trainer,
        s.training_session,
        invite=True,
    )
    assert added.enrolment.status == "enrolled"
    assert added.participant.user.email == "nadia@example.org"
    alone = services.add_person({"full_name": "No Session", "country_code": "KE"}, s.trainer)
    assert alone.enrolment is None and alone.participant.id is not None
