"""Which sentences of the source article no claim quotes.

Every factual sentence of the article should be checked by at least one
claim, so ``studygen check`` counts (and with ``-v`` lists) the sentences no
claim quote touches.

How the source is split:

- The source holds one paragraph per line, as an article copied from a web
  page does.  A line that stops without sentence-ending punctuation and is
  followed by a line starting with a lower-case letter is taken as a
  hard-wrapped paragraph and joined to that line.
- A line that does not end like a sentence (``.``, ``!`` or ``?``, optionally
  followed by a closing quote or bracket), holds no sentence break and has at
  most 20 words is a heading, such as the title line.  It states nothing to
  check, so it is not counted.
- Every other line is split into sentences after ``.``, ``!`` or ``?`` followed
  by white space and a capital letter, digit, opening quote or bracket, except
  after a few common abbreviations ("e.g.", "et al.") where a full stop does
  not end a sentence.

A sentence is covered when some claim quote overlaps it by at least one
character.  Positions are compared in whitespace-normalised text, the same
normalisation the loader uses to find quotes, so line breaks inside a quote do
not matter.  A quote that occurs more than once covers every occurrence.
"""

from __future__ import annotations

import re
from typing import Iterable

from generator.load import normalise
from generator.record import Record

_CLOSERS = "\"'”’)]"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_BREAK = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+(?=[A-Z0-9\"“‘(\[])")
HEADING_WORDS = 20  # a longer line without a full stop is an unfinished sentence, not a title
# Lower-case so the check is case-insensitive; each ends in the full stop that
# would otherwise look like a sentence end.
_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "etc.", "vs.", "cf.", "dr.", "fig.", "approx.")


class Sentence(Record):
    start: int  # offsets into the whitespace-normalised source
    end: int
    text: str


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    last = 0
    for match in _BREAK.finditer(line):
        if _abbreviation_before(line[last:match.end(1)]):
            continue
        pieces.append(line[last:match.end(1)])
        last = match.end()
    pieces.append(line[last:])
    return [p.strip() for p in pieces if p.strip()]


def _abbreviation_before(head: str) -> bool:
    head = head.rstrip(_CLOSERS).lower()
    for abbreviation in _ABBREVIATIONS:
        if head.endswith(abbreviation):
            before = head[:-len(abbreviation)]
            if not before or not before[-1].isalpha():
                return True
    return False


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def is_heading(line: str) -> bool:
    """A short line with no sentence in it, such as a title."""
    line = normalise(line)
    return (bool(line) and not _ends_sentence(line) and len(_split_line(line)) == 1
            and len(line.split()) <= HEADING_WORDS)


def _paragraphs(source: str) -> list[tuple[bool, str]]:
    """``(is_heading, text)`` for each paragraph, with hard-wrapped lines joined."""
    lines = [normalise(line) for line in source.splitlines()]
    found: list[tuple[bool, str]] = []
    pending = ""
    for i, line in enumerate(lines):
        if not line:
            continue
        text = f"{pending} {line}" if pending else line
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not _ends_sentence(text) and following[:1].islower():
            pending = text
            continue
        pending = ""
        found.append((is_heading(text), text))
    return found


def sentences(source: str) -> list[Sentence]:
    """The countable sentences of ``source``, in order, headings left out."""
    text = normalise(source)
    found: list[Sentence] = []
    cursor = 0
    for heading, paragraph in _paragraphs(source):
        if heading:
            cursor = text.index(paragraph, cursor) + len(paragraph)
            continue
        for piece in _split_line(paragraph):
            start = text.index(piece, cursor)
            cursor = start + len(piece)
            found.append(Sentence(start, cursor, piece))
    return found


def _spans(text: str, quote: str) -> Iterable[tuple[int, int]]:
    if not quote:
        return
    start = text.find(quote)
    while start >= 0:
        yield start, start + len(quote)
        start = text.find(quote, start + 1)


def uncovered(source: str, quotes: Iterable[str]) -> list[Sentence]:
    """The sentences of ``source`` that no quote overlaps."""
    text = normalise(source)
    spans = [span for quote in quotes for span in _spans(text, normalise(quote))]
    return [s for s in sentences(source)
            if not any(start < s.end and s.start < end for start, end in spans)]
