"""The participants page shows the people the folded name key joins, for a manager to merge."""

from app.extensions import db
from tests import factories


def test_participants_page_offers_the_possible_duplicates(app, client, login):
    manager = factories.make_user(roles=("manager",))
    first = factories.make_participant("Ayşe Yıldız", "TR")
    second = factories.make_participant("Ayse Yildiz", "TR")
    factories.make_participant("Ayse Yildiz", "DE")
    factories.make_participant("Kemal Demir", "TR")
    db.session.commit()
    login(manager)
    page = client.get("/participants").get_data(as_text=True)
    assert 'data-duplicates="2"' in page
    assert "2 people share a name and country with someone else" in page
    assert "/participants?duplicates=1" in page
    listed = client.get("/participants?duplicates=1").get_data(as_text=True)
    assert "2 people" in listed and 'data-duplicates="2"' in listed
    assert f"/participants/{first.id}/merge" in listed
    assert f"/participants/{second.id}/merge" in listed
    assert "Kemal Demir" not in listed


def test_trainers_are_not_shown_duplicates(app, client, login):
    trainer = factories.make_user(roles=("trainer",))
    training_session = factories.make_training_session(trainers=[trainer])
    for name in ("Ayşe Yıldız", "Ayse Yildiz"):
        factories.make_enrolment(training_session, factories.make_participant(name, "TR"))
    db.session.commit()
    login(trainer)
    page = client.get("/participants?duplicates=1").get_data(as_text=True)
    assert "data-duplicates" not in page
    assert page.count("/merge") == 0
