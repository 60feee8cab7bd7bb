"""A cheap upper bound on the lines a card face's paragraph breaks into.

Laying a face out with ReportLab (parse the markup, measure every fragment,
break the lines) costs about a millisecond; a deck of thousands of cards has
tens of thousands of faces, nearly all far shorter than their card.  To know
that such a face fits, an upper bound on its lines is enough: every character
is measured in the widest of the four faces at the paragraph's full size (bold
or italic, superscript or subscript text is never wider), words are split only
where ReportLab surely splits them (spaces, tabs, line ends), spaces are as wide
as the widest face's, and lines are filled greedily as ReportLab fills them.
Wider words and fewer break points never give fewer lines, so the bound holds;
``tests/test_speedups.py`` compares it with ReportLab's own line breaking.

Anything this does not read (a tag other than b, i, super, sub and br, an entity
other than the four ``esc`` writes, a word wider than the line, unusual white
space or soft hyphens) gives no bound, and the caller lays the face out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat

from reportlab.pdfbase import pdfmetrics

from generator.render.pdf.fonts import FACES, register

_TAG = re.compile(r"</?(?:b|i|super|sub)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&"))
_BREAK_AT = re.compile(r"[ \t\n\r]+")  # white space every ReportLab split mode breaks at
_OTHER_SPACE = re.compile(r"[^\S \t\n\r\u00a0]")  # \s is what str.isspace() calls white space
# Float sums in another order than ReportLab's may differ in the last bits.
_SLACK = 1 + 1e-9


@lru_cache(maxsize=None)
def _widths() -> tuple[dict[int, float], float]:
    """Per character, the largest advance of the four faces (1/1000 em), and the largest default."""
    register()
    faces = [pdfmetrics.getFont(name).face for name in FACES]
    default = max(face.defaultWidth for face in faces)
    codes = set().union(*(face.charWidths for face in faces))
    # A face without the character prints its default glyph, as wide as its default width.
    widest = {code: max(face.charWidths.get(code, face.defaultWidth) for face in faces) for code in codes}
    return widest, default


_known: dict[str, float] = {}  # the same few thousand words make up thousands of faces


def _width(word: str, widest: dict[int, float], default: float) -> float:
    width = _known.get(word)
    if width is None:
        if len(_known) > 100_000:
            _known.clear()
        width = _known[word] = sum(map(widest.get, map(ord, word), repeat(default)))
    return width


def _plain_segments(markup: str) -> list[str] | None:
    """The visible text between forced line breaks, or None for markup this does not read."""
    text = _TAG.sub("", markup)
    segments = text.split("<br/>")
    out = []
    for segment in segments:
        if "<" in segment or ">" in segment or "\u00ad" in segment:
            return None
        if "&" in segment:
            for entity, char in _ENTITIES:
                segment = segment.replace(entity, "\0" if char == "&" else char)
            if "&" in segment:
                return None
            segment = segment.replace("\0", "&")
        out.append(segment)
    return out


@lru_cache(maxsize=65536)
def _segments(markup: str) -> tuple[tuple[float, ...], ...] | None:
    """Each forced line's words as widths (1/1000 em, at most as wide as any face prints them)."""
    found = _plain_segments(markup)
    if found is None:
        return None
    widest, default = _widths()
    out = []
    for segment in found:
        if _OTHER_SPACE.search(segment):
            return None  # other white space: ReportLab may split there and draw a space instead
        # With no other white space, str.split breaks where ReportLab does, but for a no-break space.
        words = segment.split() if "\u00a0" not in segment else [w for w in _BREAK_AT.split(segment) if w]
        widths = tuple(map(_known.get, words))
        if None in widths:  # measured: only the words not met before
            widths = tuple(_width(w, widest, default) if em is None else em for w, em in zip(words, widths))
        out.append(widths)
    return tuple(out)


def lines_at_most(markup: str, size: float, width: float) -> int | None:
    """At least as many lines as ReportLab breaks ``markup`` into at ``size`` pt in a box
    ``width`` wide (a card style: no indents, no hyphenation), or None if unknown."""
    segments = _segments(markup)
    if segments is None:
        return None
    widest, default = _widths()
    scale = size / 1000 * _SLACK
    space = widest.get(32, default) * scale
    lines = 0
    for words in segments:
        lines += 1
        current = None
        for em in words:
            word = em * scale
            if word > width:
                return None  # ReportLab splits long words; not modelled
            if current is None:
                current = word
            elif current + space + word > width:
                lines += 1
                current = word
            else:
                current += space + word
    return lines
