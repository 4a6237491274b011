"""Dates read the way each language writes them, not an English pattern with translated months."""

from datetime import date

import pytest
from flask_babel import force_locale

from app.shared.formatting import date_long, date_range, place_line


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "3–7 March 2026"),
        ("fr", "3–7 mars 2026"),
        ("es", "3–7 de marzo de 2026"),
        ("ar", "3–7 مارس 2026"),
    ],
)
def test_a_range_within_a_month_in_each_language(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert date_range(date(2026, 3, 3), date(2026, 3, 7)) == expected


def test_spanish_dates_carry_their_prepositions(app):
    with app.test_request_context(), force_locale("es"):
        assert date_long(date(2026, 3, 6)) == "6 de marzo de 2026"
        assert date_range(date(2026, 3, 28), date(2026, 4, 2)) == "28 de marzo – 2 de abril de 2026"


def test_english_stays_day_first_across_months_and_years(app):
    with app.test_request_context(), force_locale("en"):
        assert date_range(date(2026, 3, 28), date(2026, 4, 2)) == "28 March – 2 April 2026"
        across_years = date_range(date(2026, 12, 28), date(2027, 1, 2))
        assert across_years == "28 December 2026 – 2 January 2027"
        assert date_range(date(2026, 3, 3), date(2026, 3, 3)) == "3 March 2026"


def test_a_place_skips_a_missing_venue_and_uses_the_arabic_comma(app):
    with app.test_request_context():
        assert place_line(None, "Nairobi", "Kenya") == "Nairobi, Kenya"
        with_venue = place_line("Hotel <Serena>", "Nairobi", "Kenya")
        assert with_venue == "Hotel &lt;Serena&gt;, Nairobi, Kenya"
        with force_locale("ar"):
            # The Arabic catalogue gives its own comma once translated; never a dash for no venue.
            assert "–" not in place_line("", "نيروبي", "كينيا")


def test_a_range_read_again_in_another_language_is_written_in_that_one(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert date_range(date(2026, 3, 3), date(2026, 3, 7)) == "3–7 mars 2026"
        with force_locale("en"):
            assert date_range(date(2026, 3, 3), date(2026, 3, 7)) == "3–7 March 2026"


def test_select_options_mark_the_chosen_one_and_escape_names():
    from app.shared.formatting import select_options

    choices = [("KE", "Kenya"), ("XX", "<Nowhere>")]
    html = select_options(choices, "XX")
    assert html == (
        '<option value="KE">Kenya</option><option value="XX" selected>&lt;Nowhere&gt;</option>'
    )
    assert select_options(choices, None).count("selected") == 0


@pytest.mark.parametrize("locale", ["en", "fr", "ar"])
def test_a_lists_bound_timestamps_read_as_the_filter_writes_them(app, locale):
    from datetime import UTC, datetime

    from app.shared.formatting import datetime_short, short_datetimes

    aware = datetime(2026, 3, 6, 14, 5, tzinfo=UTC)
    naive = datetime(2026, 3, 6, 14, 5)  # SQLite gives stored UTC times back naive
    with app.test_request_context(), force_locale(locale):
        short = short_datetimes()
        assert short(aware) == datetime_short(aware) == short(naive)
        assert short(None) == ""


def test_options_with_lazy_labels_follow_each_readers_language(app):
    from flask_babel import lazy_gettext

    from app.shared.formatting import select_options

    choices = [("sent", lazy_gettext("Sent")), ("failed", lazy_gettext("Failed"))]
    with app.test_request_context():
        with force_locale("fr"):
            french = select_options(choices, "sent")
        english = select_options(choices, "sent")
    assert '<option value="sent" selected>Envoyé' in french
    assert '<option value="sent" selected>Sent</option>' in english
