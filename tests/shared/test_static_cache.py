"""A static file's URL names its content: a change gives a new URL, nothing outside is named."""

import os

from app.shared.static_cache import static_hash


def test_a_changed_file_gets_a_new_hash(app, tmp_path):
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "app.css"
    sheet.write_text("body { color: black }")
    app.static_folder = str(tmp_path)
    with app.test_request_context():
        before = static_hash("css/app.css")
        sheet.write_text("body { color: navy; }")
        os.utime(sheet, ns=(1, 1))  # a new mtime, as an editor or a deploy leaves
        after = static_hash("css/app.css")
    assert before and after and before != after
    assert len(before) == 12


def test_only_files_inside_the_static_folder_are_hashed(app, tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "secret.txt").write_text("not a static file")
    (tmp_path / "static" / "folder").mkdir()
    app.static_folder = str(tmp_path / "static")
    with app.test_request_context():
        assert static_hash("../secret.txt") is None
        assert static_hash(str(tmp_path / "secret.txt")) is None
        assert static_hash("folder") is None
        assert static_hash("missing.css") is None
