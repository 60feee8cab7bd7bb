"""Reading orders shared by the formats: numbers within a citation, terms in a glossary."""

from __future__ import annotations

import unicodedata
from typing import Iterable, Sequence

from generator.inline import parse, plain
from generator.model import GlossaryEntry


def ascending(ref_ids: Iterable[str], numbers: dict[str, int]) -> list[str]:
    """Reference ids in the order of their numbers ("2, 4, 5"), each once; unknown ids last, as given."""
    ids = list(dict.fromkeys(ref_ids))
    return sorted(ids, key=lambda r: (r not in numbers, numbers.get(r, 0)))


def term_key(term: str) -> tuple:
    """How a reader looks a term up: by its letters, whatever the markup, case, accents or locale.

    "NAD^{+}" files as "NAD+", "*in vivo*" as "in vivo", "Ångström" with the A's.
    """
    text = " ".join(plain(parse(term)).split())
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    # Letters and digits decide; punctuation only breaks ties (so "NAD+" sits beside "NAD").
    letters = "".join(c for c in folded if c.isalnum() or c.isspace())
    return (letters.strip(), folded, text)


def alphabetical(glossary: Sequence[GlossaryEntry]) -> list[GlossaryEntry]:
    """Glossary entries in alphabetical order; entries that compare equal keep their content order."""
    return sorted(glossary, key=lambda g: term_key(g.term))
