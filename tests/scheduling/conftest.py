import pytest


@pytest.fixture(scope="session")
def base_url():
    """Replace pytest-playwright's base_url fixture, which pytest 9 flags as deprecated."""
    return None
