"""Faster equivalents of two ReportLab helpers that every line of every paragraph calls.

``sameFrag`` (are two text runs set in the same style?) is called for every word
of a paragraph with several runs.  ReportLab's compiled version looks each of
ten attributes up by name and turns every missing one (``cbDefn``, ``backColor``
...) into an exception it then clears: about 8 microseconds a call.  The runs
are plain attribute bags without class attributes, so the same answer is read
from their dictionaries.

``TTFont.splitString`` turns drawn text into the bytes of the embedded font
subset, assigning a code to each character the first time the document draws
it, one character at a time in Python.  Once every character of a text has its
code (nearly always, after the first page), the answer is a translation of the
text; anything else (a new character, a second subset, a no-break space, which
ReportLab draws as a space) still goes through ReportLab's own code, which
assigns the codes in the same order as before.

Both are exact: the output bytes do not change (``tests/test_speedups.py``).
"""

from __future__ import annotations

from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

_MISSING = object()
_STYLE = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")


def same_frag(f, g) -> bool:
    """ReportLab's ``sameFrag``: both runs draw text (no image, no forced break) in one style."""
    fd, gd = f.__dict__, g.__dict__
    if "cbDefn" in fd or "cbDefn" in gd or "lineBreak" in fd or "lineBreak" in gd:
        return False
    for name in _STYLE:
        a, b = fd.get(name, _MISSING), gd.get(name, _MISSING)
        if a is not b and a != b:  # as the compiled version compares: identity first
            return False
    return True


_split_string = getattr(TTFont.splitString, "original", TTFont.splitString)


def _split(self, text, doc, encoding="utf-8"):
    state = self.state.get(doc)
    if state is not None and text.__class__ is str:
        assigned = state.assignments
        known = getattr(state, "_studygen_subset0", None)
        if known is None or known[0] != len(assigned):  # codes are only ever added
            table = {code: n for code, n in assigned.items() if n < 256}
            known = state._studygen_subset0 = (len(assigned), table, frozenset(map(chr, table)))
        if known[2].issuperset(text):  # never holds for U+00A0, which has no code of its own
            return [(0, text.translate(known[1]).encode("latin-1"))] if text else []
    return _split_string(self, text, doc, encoding)


_split.original = _split_string


def install() -> None:
    """Use both in every paragraph and text line of this process (idempotent)."""
    paragraph.sameFrag = same_frag
    TTFont.splitString = _split
