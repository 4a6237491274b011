"""Every page, signed in or not, offers the language switch; typed names keep their direction."""

from tests import factories


def test_anonymous_pages_carry_the_switch_with_each_language_in_its_own_script(client):
    for path in ("/login", "/verify", "/forgot-password", "/no-such-page"):
        page = client.get(path).get_data(as_text=True)
        for code, name in (
            ("en", "English"),
            ("fr", "Français"),
            ("es", "Español"),
            ("ar", "العربية"),
        ):
            assert f'name="language" value="{code}" lang="{code}"' in page, path
            assert name in page


def test_the_switch_returns_to_the_page_it_is_on_with_its_query(client, login):
    login(factories.make_user(roles=("manager",)))
    page = client.get("/verify?query=AB12").get_data(as_text=True)
    assert 'name="next" value="/verify"' in page and 'value="/verify?' not in page
    response = client.post(
        "/language",
        data={"language": "fr", "next": "/verify"},
        headers={"Referer": "http://localhost/verify?query=AB12"},
    )
    assert response.headers["Location"] == "/verify?query=AB12"
    elsewhere = client.post(
        "/language",
        data={"language": "fr", "next": "/verify"},
        headers={"Referer": "http://evil.example/verify?query=AB12"},
    )
    assert elsewhere.headers["Location"] == "/verify"


def test_the_current_language_is_marked_in_the_switch(client):
    client.post("/language", data={"language": "ar", "next": "/"})
    page = client.get("/login").get_data(as_text=True)
    assert 'value="ar" lang="ar" aria-current="true"' in page
    assert 'value="en" lang="en" aria-current' not in page


def test_text_fields_follow_the_typed_script_and_passwords_do_not(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<input dir="auto" id="email"' in page
    assert 'dir="auto" id="password"' not in page
