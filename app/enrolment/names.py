"""Name normalisation used to spot probable duplicate people across scripts.

The key is only for matching: the stored name stays exactly as typed. Each script is folded
within itself (Latin look-alikes to ASCII, Arabic and Hebrew without their marks), never
transliterated into another, so a Thai or Arabic name keeps its own letters in the key.
"""

import unicodedata

import sqlalchemy as sa
from anyascii import anyascii

# Marks that writers add or leave out at will: Arabic tashkeel and Quranic signs, Hebrew points
# and cantillation, and the accents Unicode decomposition splits off Latin, Greek and Cyrillic.
# Thai and Devanagari vowel signs (also non-spacing marks) are letters of the word and stay.
_OPTIONAL_MARKS = ("COMBINING", "ARABIC", "HEBREW")

# Arabic letters written interchangeably in names; tatweel (ـ) only stretches a word.
_ARABIC_FOLDS = str.maketrans(
    {
        "\u0671": "\u0627",  # ٱ alef wasla -> ا (أ إ آ decompose to ا plus a mark)
        "\u0629": "\u0647",  # ة teh marbuta -> ه (the same sound at the end of a word)
        "\u0649": "\u064a",  # ى alef maksura -> ي
        "\u06cc": "\u064a",  # ی Farsi yeh (Persian and Urdu keyboards) -> ي
        "\u06a9": "\u0643",  # ک keheh -> ك
        "\u0640": None,  # ـ tatweel
    }
)

# Apostrophes join (O'Brien = O’Brien = OBrien); other punctuation and symbols separate words.
_APOSTROPHES = frozenset("'’‘ʼʻ`´′")


def _fold_char(char: str) -> str:
    """Return what one decomposed character contributes to the key."""
    category = unicodedata.category(char)
    if char in _APOSTROPHES or category == "Cf":  # zero-width spaces and joiners, bidi marks
        return ""
    if category == "Mn" and unicodedata.name(char, "").startswith(_OPTIONAL_MARKS):
        return ""
    if category[0] in "PSZ":
        return " "
    if char.isascii() or not unicodedata.name(char, "").startswith("LATIN"):
        return char
    # Latin letters that decomposition leaves whole (ł, ø, đ, ı, æ, ß, ħ, þ): anyascii knows them.
    return anyascii(char)


def fold_name(name: str) -> str:
    """Fold case, accents, script variants and punctuation, keeping the words in their order.

    NFKD also turns full-width letters and non-breaking spaces into their plain forms. The roll
    call's search box matches what is typed against this, folded the same way in the browser.
    """
    decomposed = unicodedata.normalize("NFKD", name).translate(_ARABIC_FOLDS)
    folded = "".join(_fold_char(char) for char in decomposed)
    return " ".join(folded.casefold().split())


def normalise_name(name: str) -> str:
    """Fold as fold_name does and sort the words, so 'Wałęsa, Łukasz' matches 'Łukasz Wałęsa'."""
    return " ".join(sorted(fold_name(name).split()))


_PEOPLE = sa.table(
    "participants",
    sa.column("id", sa.Integer),
    sa.column("full_name", sa.String),
    sa.column("name_key", sa.String),
)


def refold_stored_keys(connection: sa.Connection, batch: int = 1000) -> int:
    """Rewrite stored keys to today's folding (a migration per change), so old rows meet new."""
    rows = connection.execute(sa.select(_PEOPLE.c.id, _PEOPLE.c.full_name, _PEOPLE.c.name_key))
    changed = [
        {"person_id": person_id, "key": normalise_name(name or "")}
        for person_id, name, key in rows
        if normalise_name(name or "") != key
    ]
    statement = (
        _PEOPLE.update()
        .where(_PEOPLE.c.id == sa.bindparam("person_id"))
        .values(name_key=sa.bindparam("key"))
    )
    for start in range(0, len(changed), batch):
        connection.execute(statement, changed[start : start + batch])
    return len(changed)
