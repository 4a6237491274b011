"""Light pages: compressed answers, the map's shapes in one cached file, static files kept."""

import re

import pytest

from app.extensions import db
from app.reporting.mapdata import SHEET_FILE, symbol_sheet
from tests.reporting.helpers import build_scene


@pytest.fixture
def scene(app, login):
    scene = build_scene()
    db.session.commit()
    login(scene.manager)
    return scene


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_the_dashboard_is_compressed_and_never_stored(client, scene, encoding):
    plain = client.get("/reach").get_data()
    response = client.get("/reach", headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    assert len(response.get_data()) < len(plain) / 4
    assert "no-store" in response.headers["Cache-Control"]


def test_the_page_links_the_map_shapes_instead_of_carrying_them(client, scene):
    html = client.get("/reach").get_data(as_text=True)
    sheet = re.search(r'<use href="(/static/reporting/worldmap\.svg\?v=\w+)#KE"/>', html)
    assert sheet, "the map draws Kenya from the static sheet"
    assert '<g class="country" data-country="KE" fill="#' in html
    assert "<path d=" not in html
    sent = client.get("/reach", headers={"Accept-Encoding": "gzip"}).get_data()
    assert len(sent) < 30_000  # the repeat-visit budget, the page alone
    answer = client.get(sheet.group(1))
    assert answer.status_code == 200
    assert 'id="KE"' in answer.get_data(as_text=True)


def test_the_static_sheet_matches_the_shipped_map():
    assert SHEET_FILE.read_text(encoding="utf-8") == symbol_sheet(), (
        "run `flask reports map-sheet` after changing app/shared/data/worldmap.svg"
    )


def test_static_files_named_by_hash_are_kept_a_year(client, scene):
    html = client.get("/reach").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=\w+)"', html).group(1)
    kept = client.get(css)
    assert kept.status_code == 200
    assert "immutable" in kept.headers["Cache-Control"]
    assert "max-age=31536000" in kept.headers["Cache-Control"]
    stale = client.get("/static/css/app.css?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    bare = client.get("/static/css/app.css")
    assert "immutable" not in bare.headers.get("Cache-Control", "")
