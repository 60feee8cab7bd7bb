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
# TrueType font -> [its face's widths by code, by character, whole units, sums]; a state's
# characters and units are never replaced, only added to (a new state replaces it)
_chars: dict[object, list] = {}
# A width with at most 16 binary places is a whole number of these units (a face of 2,048 units to
# the em has 8): whole numbers add without rounding, so their sum is the sum added from the left.
_UNITS = 65536.0
_EXACT = 2 ** 53  # units below which every whole number is a float


def _advance_sum(font, text: str):
    """The sum of the advance widths of ``text``'s characters, added from the left as ReportLab's
    compiled measure adds them; None if a character has no width of its own in the font (the
    measure gives it the face's default).  Not ``sum`` of the widths: from Python 3.12 it
    compensates for rounding, which can differ in the last bit for widths that are not whole numbers.

    A word is summed once per font, whatever its size.  While every width of the font met so far
    is a whole number of ``_UNITS`` and none is negative, the characters' units are added as
    whole numbers (about half the time of adding floats one call at a time): below ``_EXACT``
    no sum of them rounds, so the total is the one added from the left in any order."""
    widths = font.face.charWidths
    known = _chars.get(font)
    if known is None or known[0] is not widths:
        known = _chars[font] = [widths, {}, True, {}]
    sums = known[3]
    total = sums.get(text)
    if total is not None:
        return total
    chars = known[1]
    try:
        if known[2]:
            units = sum(map(chars.__getitem__, text))
            total = units / _UNITS if units < _EXACT else reduce(add, [chars[c] / _UNITS for c in text], 0)
        else:
            total = reduce(add, map(chars.__getitem__, text), 0)
    except KeyError:
        for char in text:
            if char not in chars:
                width = widths.get(ord(char))
                if width is None:
                    return None
                if known[2]:
                    units = width * _UNITS
                    if units >= 0 and units.is_integer():
                        width = int(units)
                    else:  # from now on, this font's widths are added as floats: a state of its
                        # own, so that a sum read from the state before reads it whole
                        known = _chars[font] = [widths, {c: u / _UNITS for c, u in chars.items()}, False, sums]
                        chars = known[1]
                chars[char] = width
        return _advance_sum(font, text)
    sums[text] = total
    return total


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
            for each in _chars.values():
                each[3].clear()
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
