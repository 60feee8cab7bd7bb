"""The faces' glyph tables kept compact.

ReportLab reads a TrueType face into Python lists and dicts: for each of DejaVu
Serif's 3,500 glyphs a tuple of two ints (advance and side bearing) and an int
(where its outline starts), and for every character a list naming it under its
glyph.  For four faces that is about 3 MiB of a build's memory.  Only subsetting
reads the metrics and positions (by glyph number), and only text shaping, which
studygen does not use, reads the glyph-to-characters lists: the first two are
kept as arrays of machine ints, the last is made again if it is ever asked for.
"""

from __future__ import annotations

from array import array
from functools import cached_property

from reportlab.pdfbase.ttfonts import TTFontFace


class Metrics:
    """ReportLab's ``hmetrics``: (advance width, left side bearing) per glyph number."""

    __slots__ = ("values",)

    def __init__(self, pairs):
        self.values = array("l", [v for pair in pairs for v in pair])

    def __len__(self) -> int:
        return len(self.values) // 2

    def __getitem__(self, glyph: int) -> tuple[int, int]:
        if not 0 <= glyph < len(self):
            raise IndexError(glyph)
        return self.values[2 * glyph], self.values[2 * glyph + 1]


def _derived(char_to_glyph: dict[int, int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for char, glyph in char_to_glyph.items():
        found.setdefault(glyph, []).append(char)
    return found


class Face(TTFontFace):
    @cached_property
    def glyphToChar(self) -> dict[int, list[int]]:
        # ReportLab's lists are the cmap's, made before it gives the no-break space the
        # space's glyph: the few glyphs where that differs are kept (``compact``).
        found = _derived(self.charToGlyph)
        found.update(self._glyph_lists_apart)
        for glyph in self._glyphs_apart:
            del found[glyph]
        return found


def compact(face: TTFontFace) -> None:
    """Replace ``face``'s glyph tables by compact ones that answer the same."""
    if type(face) is not TTFontFace:
        return
    derived = _derived(face.charToGlyph)
    face._glyph_lists_apart = {g: chars for g, chars in face.glyphToChar.items() if derived.get(g) != chars}
    face._glyphs_apart = [g for g in derived if g not in face.glyphToChar]
    face.hmetrics = Metrics(face.hmetrics)
    face.glyphPos = array("L", face.glyphPos)
    del face.glyphToChar
    face.__class__ = Face
