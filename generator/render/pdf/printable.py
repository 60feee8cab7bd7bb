"""Whether a document's texts can hold a character the PDF font lacks, answered from the
texts as written.

The explainer's glyph check makes every field's paragraph markup and asks what each
face draws (``fonts.in_paragraph``): about a twentieth of a build's work, for an
answer that is nearly always "nothing is missing".  What a face draws is made of
the field's own characters, white space aside (paragraphs and flat labels both
turn any run of it into one space), and of characters the explainer adds: escaping,
tags, citation numbers and DOI addresses (printable ASCII), quotation marks, and the
raised and lowered digits and signs of flat labels (``text.flat``).  When all four
faces have every one of those, no field can draw a missing character.
"""

from __future__ import annotations

import string
from typing import Iterable

from generator.render.pdf import fonts
from generator.render.pdf.text import _SUBSCRIPT, _SUPERSCRIPT

ADDED = frozenset(string.printable) | {"“", "”"} | {chr(c) for t in (_SUPERSCRIPT, _SUBSCRIPT) for c in t.values()}


def nothing_missing(texts: Iterable[str]) -> bool:
    """True when every face has a glyph for every character of ``texts`` and every character
    the explainer adds to them; False means the texts must be checked one by one."""
    fonts.register()
    lacking = ADDED.union(*texts).difference(fonts._covered_by_all())
    return all(c.isspace() for c in lacking)
