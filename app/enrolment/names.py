"""Name normalisation used to spot probable duplicate people across scripts."""

import unicodedata


def normalise_name(name: str) -> str:
    """Fold case, accents, punctuation and word order so 'José  PÉREZ' matches 'Perez, Jose'."""
    kept = []
    for char in unicodedata.normalize("NFKD", name):
        category = unicodedata.category(char)
        # Drop combining accents, but keep Thai and Devanagari vowel signs (also category Mn).
        if category == "Mn" and unicodedata.name(char, "").startswith("COMBINING"):
            continue
        kept.append(" " if category[0] in "PS" else char)
    return " ".join(sorted("".join(kept).casefold().split()))
