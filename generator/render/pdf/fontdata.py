"""The faces' glyph tables: read quickly and kept compact.

ReportLab reads a TrueType face one number at a time (a ``struct.unpack`` call for
each of some 30,000 values of DejaVu Serif's character map, metrics and glyph
positions): about 10 ms of CPU per face, 45 ms for the four faces, in every process
that builds a PDF.  ``Face`` reads the same tables a whole table at a time, with
``array`` and ``struct``, into the same answers (about 1 ms per face); it reads the
two character-map formats DejaVu and most current fonts use (4 and 12) and leaves
any other font to ReportLab's own reader.

ReportLab keeps the tables as Python lists and dicts: for each of DejaVu Serif's
3,500 glyphs a tuple of two ints (advance and side bearing) and an int (where its
outline starts), and for every character a list naming it under its glyph.  For four
faces that is about 3 MiB of a build's memory.  Only subsetting reads the metrics and
positions (by glyph number), and only text shaping, which studygen does not use,
reads the glyph-to-characters lists: the first two are kept as arrays of machine
ints, the last is made again if it is ever asked for.
"""

from __future__ import annotations

import struct
import sys
from array import array
from contextlib import contextmanager
from functools import cached_property
from operator import itemgetter
from typing import Iterator

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace


class Metrics:
    """ReportLab's ``hmetrics``: (advance width, left side bearing) per glyph number."""

    __slots__ = ("values",)

    def __init__(self, values: array):
        self.values = values  # advance and side bearing interleaved, as the hmtx table holds them

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


def _ushorts(data: bytes, offset: int, count: int) -> array:
    """``count`` big-endian unsigned shorts from ``offset``."""
    return _big_endian("H", data, offset, count)


def _ulongs(data: bytes, offset: int, count: int) -> array:
    """``count`` big-endian unsigned 32-bit ints from ``offset``."""
    if array("I").itemsize != 4:
        return array("L", struct.unpack_from(f">{count}L", data, offset))
    return _big_endian("I", data, offset, count)


def _big_endian(code: str, data: bytes, offset: int, count: int) -> array:
    values = array(code, data[offset:offset + array(code).itemsize * count])
    if len(values) != count:
        raise ValueError("table cut short")
    if sys.byteorder == "little":
        values.byteswap()
    return values


class Face(TTFontFace):
    """A TTFontFace whose character map, metrics and glyph positions are read a table at a
    time (``extractInfo``), with the answers of ReportLab's reader."""

    def extractInfo(self, charInfo=1):
        super().extractInfo(charInfo=0)  # names, header and the metrics' scale: a few hundred values
        if not charInfo:
            return
        try:
            tables = self._tables()
        except (KeyError, ValueError, struct.error):
            tables = None
        if tables is None:  # a font this reader does not know: ReportLab reads it
            TTFontFace.extractInfo(self, charInfo)
            return
        cmap, self.charWidths, hmtx, self.glyphPos = tables
        self.charToGlyph = cmap
        self.hmetrics = Metrics(hmtx)
        self.defaultWidth = self._pdfScale(hmtx[0])
        # ReportLab gives the no-break space the space's glyph (or the other way round) after
        # making its glyph-to-characters lists, which therefore follow the font's own map.
        self._cmap_before = {c: cmap.get(c) for c in (0x20, 0xA0)}
        if 0x20 in cmap:
            cmap[0xA0] = cmap[0x20]
            self.charWidths[0xA0] = self.charWidths[0x20]
        elif 0xA0 in cmap:
            cmap[0x20] = cmap[0xA0]
            self.charWidths[0x20] = self.charWidths[0xA0]

    @cached_property
    def glyphToChar(self) -> dict[int, list[int]]:
        cmap = dict(self.charToGlyph)
        for char, glyph in self._cmap_before.items():
            if glyph is None:
                cmap.pop(char, None)
            else:
                cmap[char] = glyph
        return _derived(cmap)

    def _tables(self) -> tuple[dict[int, int], dict[int, float], array, array] | None:
        """(character map, widths, metrics, glyph positions) as ReportLab's reader makes them,
        or None for a font whose tables it reads in ways this reader does not."""
        data, table, glyphs = self._ttf_data, self.table, self.numGlyphs
        index_to_loc, glyph_format = struct.unpack_from(">HH", data, table["head"]["offset"] + 50)
        metric_format, long_metrics = struct.unpack_from(">HH", data, table["hhea"]["offset"] + 32)
        # Glyphs past the last full metrics entry get their advance from it, which ReportLab
        # stores scaled: left to ReportLab.
        if glyph_format != 0 or metric_format != 0 or long_metrics != glyphs or index_to_loc not in (0, 1):
            return None
        cmap = _cmap(data, table["cmap"]["offset"])
        if cmap is None:
            return None
        hmtx = _ushorts(data, table["hmtx"]["offset"], 2 * glyphs)  # advance, side bearing per glyph
        # ReportLab's scale to 1000 units an em (``_pdfScale``), without a call per glyph.
        per_unit = 1000 / self.unitsPerEm
        advances = list(hmtx[::2]) if self.unitsPerEm == 1000 else [a * per_unit for a in hmtx[::2]]
        # In ReportLab's order: by glyph, then as the map lists them; a glyph past the last has no width.
        widths = {c: advances[g] for c, g in sorted(cmap.items(), key=itemgetter(1)) if g < glyphs}
        loca = table["loca"]["offset"]
        if index_to_loc == 0:
            positions = array("I", [p << 1 for p in _ushorts(data, loca, glyphs + 1)])
        else:
            positions = _ulongs(data, loca, glyphs + 1)
        return cmap, widths, hmtx, positions


def _cmap(data: bytes, start: int) -> dict[int, int] | None:
    """The character map ReportLab would read, or None when it is in a format read only there."""
    version, count = struct.unpack_from(">HH", data, start)
    if count == 0 and version != 0:
        count, version = version, count
    chosen, kind = None, 0
    for n in range(count):  # ReportLab's choice: the last subtable that fits
        platform, encoding, offset = struct.unpack_from(">HHL", data, start + 4 + 8 * n)
        if platform == 3:
            kind, chosen = 1, offset
        elif platform == 1 and encoding == 0 and kind != 1:
            kind, chosen = 2, offset
        elif platform == 1 and encoding == 1:
            kind, chosen = 1, offset
        elif platform == 0 and encoding != 5:
            kind, chosen = 1, offset
    if chosen is None:
        return None
    at = start + chosen
    fmt = struct.unpack_from(">H", data, at)[0]
    if fmt == 12:
        return _format12(data, at)
    if fmt == 4:
        return _format4(data, at)
    return None


def _format12(data: bytes, at: int) -> dict[int, int] | None:
    groups = struct.unpack_from(">L", data, at + 12)[0]
    found: dict[int, int] = {}
    listed = 0
    for first, last, glyph in struct.iter_unpack(">LLL", data[at + 16:at + 16 + 12 * groups]):
        found.update(zip(range(first, last + 1), range(glyph, glyph + last + 1 - first)))
        listed += max(0, last + 1 - first)
    return _unless_overlapping(found, listed)


def _format4(data: bytes, at: int) -> dict[int, int] | None:
    limit = at + struct.unpack_from(">H", data, at + 2)[0]
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = _ushorts(data, at + 14, segments)
    starts = _ushorts(data, at + 16 + 2 * segments, segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    range_offsets = _ushorts(data, ranges_at, segments)
    found: dict[int, int] = {}
    for n in range(segments):
        first, last, delta, offset = starts[n], ends[n], deltas[n], range_offsets[n]
        chars = range(first, last + 1)
        if offset == 0:
            found.update(zip(chars, [(c + delta) & 0xFFFF for c in chars]))
            continue
        base = ranges_at + 2 * n + offset
        for c in chars:
            where = base + 2 * (c - first)
            glyph = 0 if where >= limit else struct.unpack_from(">H", data, where)[0]
            found[c] = (glyph + delta) & 0xFFFF if glyph else 0
    return _unless_overlapping(found, sum(ends[n] + 1 - starts[n] for n in range(segments) if ends[n] >= starts[n]))


def _unless_overlapping(found: dict[int, int], listed: int) -> dict[int, int] | None:
    """The map, or None (ReportLab reads it) when a character is in more than one segment:
    ReportLab then lists that character twice under its glyphs, which a map cannot say."""
    return found if len(found) == listed else None


@contextmanager
def _faces_read_here() -> Iterator[None]:
    original = ttfonts.TTFontFace
    ttfonts.TTFontFace = Face
    try:
        yield
    finally:
        ttfonts.TTFontFace = original


def load(name: str, path: str) -> TTFont:
    """ReportLab's ``TTFont(name, path)``, its face read by ``Face``."""
    with _faces_read_here():
        return TTFont(name, path)
