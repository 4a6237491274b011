import pytest


@pytest.fixture(scope="session")
def base_url():
    """Replace pytest-base-url's fixture, which newer pytest flags as deprecated (an error here)."""
    return None
