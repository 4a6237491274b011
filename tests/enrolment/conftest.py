import pytest


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    """Keep uploads waiting for confirmation in the test's own folder."""
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}
