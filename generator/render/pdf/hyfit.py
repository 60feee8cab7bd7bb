"""Skip the hyphenation dictionary for a word that no break of it could fit on the line.

When a word does not fit at the end of a line, ReportLab asks the hyphenator
for every break of the word and measures the heads, longest first, until one
fits in the room left.  Every head the explainer's hyphenator (``para.hyphenate``)
gives has at least two characters, and a longer head is never narrower (the
font's advance widths are not negative), so when the first two characters
alone are wider than the room, no head fits and the answer is known without
the dictionary: in the article's explainer, that holds for almost half of the
words tried, a third of them never tried otherwise.  A word without a hyphen or
a soft hyphen of its own gets ReportLab's hyphen after every head, so the
hyphen's width counts too (it rules out more words without their lookup).
ReportLab's own ``_hyGenPair`` still decides everything else (prefixes and suffixes, URLs,
embedded hyphens) with a hyphenator that offers no breaks, except for a word that
could only be broken as a URL where ReportLab would not break one: no break, at once.
"""

from __future__ import annotations

from reportlab.platypus import paragraph

_gen_pair = getattr(paragraph._hyGenPair, "original", paragraph._hyGenPair)
SHORTEST = 2  # characters in the shortest head ``para.hyphenate`` gives
_SLACK = 1e-6  # points; far above the rounding of a sum of a word's advance widths


def _no_breaks(word):
    return ()


def _hy_gen_pair(hyphenator, s, ww, newWidth, maxWidth, fontName, fontSize, uriWasteReduce, *rest):
    if hyphenator is not None and hyphenator in _SHORT_HEADS and s.__class__ is not bytes:
        found = paragraph._hy_pfx_pat.match(s)
        start = found.end() if found else 0
        head = s[:start + SHORTEST]
        least = newWidth - ww + paragraph.stringWidth(head, fontName, fontSize)
        own = "-" in s or "\xad" in s
        if not own:  # no head can end in a hyphen of the word's own
            least += paragraph.stringWidth("-", fontName, fontSize)
        if least > maxWidth + _SLACK:
            # Without the dictionary, only the word's own hyphens or a URL's parts could break
            # it, and ReportLab breaks a URL only when it is wider than the line or the line's
            # start is short enough (its test, written as it writes it).
            if not own and ww <= maxWidth and not (uriWasteReduce and newWidth - ww <= (1 - uriWasteReduce) * maxWidth):
                return None
            hyphenator = _no_breaks
    return _gen_pair(hyphenator, s, ww, newWidth, maxWidth, fontName, fontSize, uriWasteReduce, *rest)


_hy_gen_pair.original = _gen_pair
_SHORT_HEADS: set = set()


def install(hyphenator) -> None:
    """Skip ``hyphenator`` (whose heads have SHORTEST characters or more) where no head can fit (idempotent)."""
    _SHORT_HEADS.add(hyphenator)
    paragraph._hyGenPair = _hy_gen_pair
