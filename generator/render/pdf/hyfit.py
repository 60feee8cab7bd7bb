"""Skip the hyphenation dictionary for a word that no break of it could fit on the line.

When a word does not fit at the end of a line, ReportLab asks the hyphenator
for every break of the word and measures the heads, longest first, until one
fits in the room left.  Every head the explainer's hyphenator (``para.hyphenate``)
gives has at least two characters, and a longer head is never narrower (the
font's advance widths are not negative), so when the first two characters
alone are wider than the room, no head fits and the answer is known without
the dictionary: in the article's explainer, that holds for almost half of the
words tried, a third of them never tried otherwise.  ReportLab's own
``_hyGenPair`` still decides everything else (prefixes and suffixes, URLs,
embedded hyphens) with a hyphenator that offers no breaks.
"""

from __future__ import annotations

from reportlab.platypus import paragraph

_gen_pair = getattr(paragraph._hyGenPair, "original", paragraph._hyGenPair)
SHORTEST = 2  # characters in the shortest head ``para.hyphenate`` gives
_SLACK = 1e-6  # points; far above the rounding of a sum of a word's advance widths


def _no_breaks(word):
    return ()


def _hy_gen_pair(hyphenator, s, ww, newWidth, maxWidth, fontName, fontSize, *rest):
    if hyphenator is not None and hyphenator in _SHORT_HEADS and s.__class__ is not bytes:
        found = paragraph._hy_pfx_pat.match(s)
        start = found.end() if found else 0
        head = s[:start + SHORTEST]
        if newWidth - ww + paragraph.stringWidth(head, fontName, fontSize) > maxWidth + _SLACK:
            hyphenator = _no_breaks
    return _gen_pair(hyphenator, s, ww, newWidth, maxWidth, fontName, fontSize, *rest)


_hy_gen_pair.original = _gen_pair
_SHORT_HEADS: set = set()


def install(hyphenator) -> None:
    """Skip ``hyphenator`` (whose heads have SHORTEST characters or more) where no head can fit (idempotent)."""
    _SHORT_HEADS.add(hyphenator)
    paragraph._hyGenPair = _hy_gen_pair
