import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _app_context(app):
    """Every attendance test runs inside the app, on each backend."""
    return app


@pytest.fixture
def trainer():
    return factories.make_user(roles=("trainer",), name="Roll Trainer")
