"""Flesch reading ease of content text, as ``studygen check -v`` reports it per section.

    reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)

Higher is easier. About 60 to 70 is plain English that most adults read
without effort; 30 to 50 is hard (college level); below 30 is very hard.

Text is measured as it prints: inline markup removed and citations left out
(they print as numbers nobody reads aloud).

- Words are runs of letters (with inner apostrophes or hyphens) or of digits
  (with inner commas or points: "2,000", "1.5").
- A sentence ends at ".", "!" or "?" followed by white space or the end, and
  at every paragraph break. Colons and semicolons do not end one.
- Syllables are counted without a dictionary, by a heuristic that is close
  for ordinary English words:
  - a word of two to five capitals (NMN, FDA, ATP) is read letter by letter:
    one syllable a letter, three for "W";
  - a number counts one syllable a digit (rough, and on the hard side);
  - any other word counts its groups of vowels (a, e, i, o, u, y), less one
    for a silent final "e" ("make", but not "table") and for an "-ed" that
    adds no syllable ("used", but not "added"); at least one.
  A hyphenated word is one word whose syllables are those of its parts.
"""

from __future__ import annotations

import re

from generator import inline
from generator.record import Record

_CITATION = re.compile(r"\[@[^\]]*\]")
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['’-][A-Za-z\u00C0-\u024F]+)*|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_PARAGRAPH_END = re.compile(r"[.!?][\"'”’)\]]*$")
_VOWELS = re.compile(r"[aeiouy]+")
_INITIALISM = re.compile(r"^[A-Z]{2,5}$")


class Reading(Record):
    words: int
    sentences: int
    syllables: int

    @property
    def ease(self) -> float:
        """Flesch reading ease (0 for no words)."""
        if not self.words:
            return 0.0
        return 206.835 - 1.015 * self.words / max(self.sentences, 1) - 84.6 * self.syllables / self.words


def syllables(word: str) -> int:
    """The heuristic syllable count of one word (see the module notes)."""
    if word[:1].isdigit():
        return max(1, sum(ch.isdigit() for ch in word))
    if _INITIALISM.match(word):
        return sum(3 if ch == "W" else 1 for ch in word)
    parts = re.split(r"[-]", word)
    if len(parts) > 1:
        return sum(syllables(part) for part in parts if part)
    w = word.lower().replace("’", "'").split("'")[0] or word.lower()
    count = len(_VOWELS.findall(w))
    if count > 1:
        if w.endswith("e") and not w.endswith(("le", "ee", "ye")):
            count -= 1
        elif w.endswith("le") and len(w) > 2 and w[-3] in "aeiouy":
            count -= 1  # "whale", "mile"
        elif w.endswith("ed") and not w.endswith(("ted", "ded")):
            count -= 1
    return max(1, count)


def measure(text: str) -> Reading:
    """Words, sentences and syllables of content ``text`` (inline markup allowed)."""
    shown = _CITATION.sub(" ", inline.plain(inline.parse(text, cloze=True)))
    words = sentences = syllable_count = 0
    for paragraph in re.split(r"\n\s*\n", shown):
        found = _WORD.findall(paragraph)
        if not found:
            continue
        words += len(found)
        syllable_count += sum(syllables(w) for w in found)
        paragraph = paragraph.strip()
        ends = _SENTENCE_END.findall(paragraph)
        # A paragraph always ends a sentence, with or without a full stop.
        sentences += len(ends) + (0 if _PARAGRAPH_END.search(paragraph) else 1)
    return Reading(words, sentences, syllable_count)


def reading_ease(text: str) -> float:
    """Flesch reading ease of ``text``; higher is easier, 60 or more is plain English."""
    return measure(text).ease
