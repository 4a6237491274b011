"""The browser's search folding (static/js/fold.js) gives the words the server's fold_name does."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.enrolment.names import fold_name

FOLD_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "fold.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js runs the browser's folding")

# Where names and places are written: Latin with its accents and the whole letters fold.js knows,
# Greek, Cyrillic, Arabic (with the Persian letters), Hebrew, the combining marks, punctuation
# and the odd spaces.
_WHOLE_LATIN = "ŧĸɓɗƙƴƈɠɛɔʋƒɲɖəǝɨʉƭ"
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x17F),
    st.sampled_from(_WHOLE_LATIN + _WHOLE_LATIN.upper()),
    st.characters(min_codepoint=0x300, max_codepoint=0x36F),
    st.characters(min_codepoint=0x370, max_codepoint=0x3FF, categories=("L",)),
    st.characters(min_codepoint=0x400, max_codepoint=0x4FF, categories=("L",)),
    st.characters(min_codepoint=0x590, max_codepoint=0x6FF, categories=("L", "M", "P")),
    st.sampled_from("\u00a0\u200b\u200c\u200d\u2010\u2011\u2013\u2019\u0640 -'"),
)


def _folded_by_node(texts: list[str]) -> list[str]:
    script = (
        f"require({json.dumps(str(FOLD_JS))});"
        "const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(texts.map(globalThis.foldName)));"
    )
    done = subprocess.run(
        [NODE, "-e", script], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


EXAMPLES = [
    "أحمد إبراهيم",
    "آمنة",
    "مُحَمَّد عَلِي",
    "محـــمد",
    "علی کریمی",
    "Al-Mansouri",
    "O’Brien Seán",
    "Łukasz Wałęsa",
    "Straße",
    "Guinea-Bissau",
    "Côte d’Ivoire",
    "שָׁלוֹם כֹּהֵן",
    "Ｊｏｈｎ",
    "ΟΔΥΣΣΕΑΣ Οδυσσεύς",
]


def test_the_browser_folds_the_examples_as_the_server_does():
    assert _folded_by_node(EXAMPLES) == [fold_name(text) for text in EXAMPLES]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=12), min_size=1, max_size=40))
def test_the_browser_folds_any_name_as_the_server_does(texts):
    assert _folded_by_node(texts) == [fold_name(text) for text in texts]
