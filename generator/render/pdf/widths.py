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

from functools import reduce
from operator import add

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

_measure = getattr(paragraph.stringWidth, "original", paragraph.stringWidth)
_known: dict[tuple, dict] = {}  # (font, size, encoding) -> word -> width
_stored = [0]  # words remembered in all
_LIMIT = 200_000  # words, fonts and sizes remembered; then the memory starts again
_ttf_width = TTFont.stringWidth
# The sum below is that of ReportLab's compiled measure; its pure-Python stand-in multiplies in another order.
_COMPILED = ttfonts.instanceStringWidthTTF.__class__.__name__ == "builtin_function_or_method"
_chars: dict[object, tuple[dict, dict]] = {}  # TrueType font -> (its face's widths by code, by character)


def _advance_sum(font, text: str):
    """The sum of the advance widths of ``text``'s characters, added from the left as ReportLab's
    compiled measure adds them; None if a character has no width of its own in the font (the
    measure gives it the face's default).  Not ``sum``: from Python 3.12 it compensates for
    rounding, which can differ in the last bit for widths that are not whole numbers."""
    widths = font.face.charWidths
    known = _chars.get(font)
    if known is None or known[0] is not widths:
        known = _chars[font] = (widths, {})
    chars = known[1]
    try:
        return reduce(add, map(chars.__getitem__, text), 0)
    except KeyError:
        for char in text:
            if char not in chars:
                width = widths.get(ord(char))
                if width is None:
                    return None
                chars[char] = width
        return reduce(add, map(chars.__getitem__, text), 0)


def table(fontName, fontSize, encoding="utf8") -> dict | None:
    """The widths remembered for a font and size, word -> width, for a loop that measures many
    words: a word it lacks is measured by ``_string_width``, which adds it.  None for a font
    not registered."""
    font = pdfmetrics._fonts.get(fontName)
    if font is None:
        return None
    key = (font, fontSize, encoding)
    known = _known.get(key)
    if known is None:
        known = _known[key] = {}
    return known


def _string_width(text, fontName, fontSize, encoding="utf8"):
    # Keyed on the font object, not its name: a name registered again is measured again.
    font = pdfmetrics._fonts.get(fontName)
    known = _known.get((font, fontSize, encoding))
    if known is not None:
        width = known.get(text)
        if width is not None:
            return width
    # A word not measured before: ReportLab's compiled measure of a TrueType font looks the
    # face and its widths up by name, and each character's width up by its code, about ten
    # times as long as the sum of the widths looked up by character.
    total = None
    if (_COMPILED and getattr(font.__class__, "stringWidth", None) is _ttf_width and text.__class__ is str
            and fontSize.__class__ in (float, int)):
        total = _advance_sum(font, text)
    if total is None:
        width = _measure(text, fontName, fontSize, encoding)
    else:
        width = total * 0.001 * fontSize  # in the compiled measure's order
    if font is not None:
        if _stored[0] >= _LIMIT:
            _known.clear()
            _stored[0] = 0
            known = None
        if known is None:
            known = _known[font, fontSize, encoding] = {}
        known[text] = width
        _stored[0] += 1
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
