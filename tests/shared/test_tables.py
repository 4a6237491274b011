"""Rows written in one pass still escape what people typed and label each cell for phones."""

import pytest
from markupsafe import Markup

from app.shared.tables import Cell, Column, badge, card_rows

COLUMNS = (Column("name", "Name & role"), Column("places", "Places", "num"))


def test_typed_text_is_escaped_and_markup_kept():
    html = card_rows(COLUMNS, [("<script>alert(1)</script>", 3), (Markup("<b>Ana</b>"), 0)])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<td data-label="Name &amp; role"><b>Ana</b></td>' in html
    assert html.count("<tr>") == 2
    assert '<td data-label="Places" class="num">0</td>' in html


def test_no_rows_write_nothing():
    assert card_rows(COLUMNS, []) == ""


def test_a_row_with_a_missing_cell_is_refused_rather_than_shifted():
    with pytest.raises(ValueError, match="1 cells under 2 columns"):
        card_rows(COLUMNS, [("only a name",)])


def test_a_cell_can_take_its_own_class_and_a_badge_names_its_status():
    html = card_rows(
        COLUMNS, [(Cell("–", "blank"), Cell(badge("in_progress", "<In> progress"), "x"))]
    )
    assert '<td data-label="Name &amp; role" class="blank">–</td>' in html
    assert '<span class="badge badge-in-progress">&lt;In&gt; progress</span>' in html
