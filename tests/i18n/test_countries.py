"""Country names speak the page's language and sort as its readers expect, not by English."""

from flask_babel import force_locale

from app.shared.countries import country_choices, country_name
from tests import factories


def _position(choices, code):
    return [c for c, _name in choices].index(code)


def test_english_keeps_the_common_names(app):
    assert country_name("BO", "en") == "Bolivia"
    assert country_name("XK", "en") == "Kosovo"


def test_names_come_in_the_readers_language(app):
    assert country_name("DE", "fr") == "Allemagne"
    assert country_name("DE", "es") == "Alemania"
    assert country_name("DE", "ar") == "ألمانيا"
    with app.test_request_context(), force_locale("es"):
        assert country_name("EG") == "Egipto"


def test_french_sorts_accented_names_with_their_letter(app):
    names = [name for _code, name in country_choices("fr")]
    # Code-point order would put "Égypte" after "Zimbabwe".
    assert names.index("Égypte") < names.index("Érythrée") < names.index("Espagne")
    assert names.index("Égypte") < names.index("Zimbabwe")
    assert names.index("Dominique") < names.index("Égypte")


def test_spanish_and_arabic_lists_sort_by_their_own_names(app):
    spanish = country_choices("es")
    assert _position(spanish, "DE") < _position(spanish, "AT")  # Alemania before Austria
    arabic = country_choices("ar")
    assert _position(arabic, "DE") < _position(arabic, "EG")  # ألمانيا before مصر
    assert _position(arabic, "EG") > _position(arabic, "JP")  # مصر after اليابان


def test_the_reach_filters_list_countries_in_french_order_on_a_french_page(client, login):
    login(factories.make_user(roles=("manager",), language="fr"))
    page = client.get("/reach").get_data(as_text=True)
    assert '<option value="DE">Allemagne</option>' in page
    assert page.index(">Égypte<") < page.index(">Espagne<") < page.index(">Zimbabwe<")
