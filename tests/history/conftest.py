import pytest


@pytest.fixture(scope="session")
def base_url():
    """Replace pytest-playwright's base_url fixture, which newer pytest flags as deprecated."""
    return None
