import subprocess
import sys
from pathlib import Path

import pytest

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """Build the .mo files as `make test` does, so these tests also run on their own."""
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "compile", "-d", str(TRANSLATIONS)], check=True, capture_output=True
    )
