import subprocess
import sys
from pathlib import Path

import pytest

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """Build the .mo files as `make test` does, so these tests also run on their own.

    Only when one is missing or older than its .po: each xdist worker runs this, and a
    catalogue rewritten while another worker's page reads it fails that page's test.
    """
    catalogues = list(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    compiled = [po.with_suffix(".mo") for po in catalogues]
    if all(
        mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime
        for po, mo in zip(catalogues, compiled, strict=True)
    ):
        return
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "compile", "-d", str(TRANSLATIONS)], check=True, capture_output=True
    )
