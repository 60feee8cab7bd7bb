"""Remember the width of a space, a hyphen and each word per font and size while ReportLab breaks lines.

When ReportLab breaks a paragraph with several text runs into justified lines it
measures a space once for every word, and again for every run already on the line
(to know how far the line may shrink): about 14,000 measurements of " " for one
explainer, each a font lookup and a call into the metrics code.  A space's width
only depends on the font and the size, so it is measured once per pair here.
A font's ascent and descent at a size, asked for every word placed on a line
(about 8,000 times, each through a caught AttributeError for a TrueType font),
are remembered the same way.
Words are measured once per font and size too: thousands of printed cards are
made of a few thousand words.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import paragraph

_measure = getattr(paragraph.stringWidth, "original", paragraph.stringWidth)
_known: dict[tuple, float] = {}
_LIMIT = 200_000  # words, fonts and sizes remembered; then the memory starts again


def _string_width(text, fontName, fontSize, encoding="utf8"):
    # Keyed on the font object, not its name: a name registered again is measured again.
    key = (text, pdfmetrics._fonts.get(fontName), fontSize, encoding)
    width = _known.get(key)
    if width is None:
        width = _measure(text, fontName, fontSize, encoding)
        if key[1] is not None:
            if len(_known) >= _LIMIT:
                _known.clear()
            _known[key] = width
    return width


_string_width.original = _measure

_extent = getattr(paragraph.getAscentDescent, "original", paragraph.getAscentDescent)
_extents: dict[tuple, tuple] = {}


def _ascent_descent(fontName, fontSize=None):
    key = (pdfmetrics._fonts.get(fontName), fontSize)
    found = _extents.get(key)
    if found is None:
        found = _extent(fontName, fontSize)
        if key[0] is not None:
            _extents[key] = found
    return found


_ascent_descent.original = _extent


def install() -> None:
    """Use the remembered widths, ascents and descents in every paragraph of this process (idempotent)."""
    paragraph.stringWidth = _string_width
    paragraph.getAscentDescent = _ascent_descent
