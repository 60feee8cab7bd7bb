"""studygen reads its TrueType faces itself (render/pdf/fontdata.py): whatever the font,
the answers must be ReportLab's own reader's."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
import reportlab
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from hypothesis import given, settings, strategies as st
from reportlab.pdfbase.ttfonts import TTFont

from generator.render.pdf import fontdata, fonts

SHIPPED = [fonts.FONT_DIR / f"{name}.ttf" for name in fonts.FACES]
REPORTLABS = sorted((Path(reportlab.__file__).parent / "fonts").glob("*.ttf"))


def assert_read_alike(path: Path) -> fontdata.Face:
    ours, theirs = fontdata.load("ours", str(path)).face, TTFont("theirs", str(path)).face
    # The same characters, in the same order, on the same glyphs, with the same widths.
    assert list(ours.charToGlyph.items()) == list(theirs.charToGlyph.items())
    assert list(ours.charWidths.items()) == list(theirs.charWidths.items())
    assert ours.defaultWidth == theirs.defaultWidth
    assert len(ours.hmetrics) == len(theirs.hmetrics)
    assert [ours.hmetrics[g] for g in range(len(ours.hmetrics))] == list(theirs.hmetrics)
    assert list(ours.glyphPos) == list(theirs.glyphPos)
    assert list(ours.glyphToChar.items()) == list(theirs.glyphToChar.items())
    tables = {"charToGlyph", "charWidths", "hmetrics", "glyphPos", "glyphToChar", "_pdfScale", "_pos", "_cmap_before"}
    assert {k: v for k, v in vars(ours).items() if k not in tables} == \
           {k: v for k, v in vars(theirs).items() if k not in tables}
    # What a PDF embeds: the subset of some characters the font has and some it lacks.
    chars = sorted(set(list(theirs.charToGlyph)[::7]) | {0x20, 0x41, 0x2265, 0x1F600})
    assert _outcome(ours.makeSubset, chars) == _outcome(theirs.makeSubset, chars)
    return ours


def _outcome(action, *args):
    try:
        return action(*args)
    except Exception as error:  # the same failure counts as the same answer
        return type(error)


@pytest.mark.parametrize("path", SHIPPED + REPORTLABS, ids=lambda p: p.name)
def test_each_face_is_read_as_reportlab_reads_it(path):
    assert_read_alike(path)


def test_the_shipped_faces_are_read_by_studygens_own_reader():
    """Not by the fallback: otherwise the comparison above would say nothing about the reader."""
    for path in SHIPPED:
        assert "_cmap_before" in vars(fontdata.load("face", str(path)).face)


def test_every_character_gets_reportlabs_width_and_coverage():
    fonts.register()
    from reportlab.pdfbase import pdfmetrics

    for name in fonts.FACES:
        ours, theirs = pdfmetrics.getFont(name), TTFont("theirs", str(fonts.FONT_DIR / f"{name}.ttf"))
        assert type(ours.face) is fontdata.Face
        text = "".join(map(chr, range(0x20, 0x3000)))
        for size in (7, 10.5, 13):
            assert ours.stringWidth(text, size) == theirs.stringWidth(text, size)
        assert all(ours.face.getCharWidth(c) == theirs.face.getCharWidth(c) for c in range(0x110000))
        assert fonts._covered(name) == frozenset(theirs.face.charToGlyph)


def _font(cmap: dict[int, int], advances: list[int], units: int, cmap_format: int | None = None) -> bytes:
    """A TrueType font of len(advances) glyphs (square outlines), mapping each character of
    ``cmap`` to a glyph number; ``cmap_format`` replaces the character map by one subtable."""
    names = [".notdef"] + [f"g{i}" for i in range(1, len(advances))]
    builder = FontBuilder(units, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({char: names[glyph] for char, glyph in cmap.items()})
    glyphs = {}
    for i, name in enumerate(names):
        pen = TTGlyphPen(None)
        if i:
            pen.moveTo((0, 0))
            pen.lineTo((0, 10 * i))
            pen.lineTo((10 * i, 10 * i))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (advances[i], 0) for i, name in enumerate(names)})
    builder.setupHorizontalHeader(ascent=units * 4 // 5, descent=-units // 5)
    builder.setupNameTable({"familyName": "Probe", "styleName": "Regular", "psName": "Probe-Regular"})
    builder.setupOS2(sTypoAscender=units * 4 // 5, sTypoDescender=-units // 5, usWinAscent=units, usWinDescent=units // 5)
    builder.setupPost()
    if cmap_format is not None:
        table = CmapSubtable.newSubtable(cmap_format)
        table.platformID, table.platEncID, table.language = 1, 0, 0
        table.cmap = {char: names[glyph] for char, glyph in cmap.items() if char < 256}
        builder.font["cmap"].tables = [table]
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


chars = st.one_of(st.integers(0x20, 0x7E), st.integers(0xA0, 0x2FFF), st.integers(0xE000, 0xFFFD),
                  st.integers(0x10000, 0x1F9FF))


@settings(max_examples=40, deadline=None)
@given(glyphs=st.integers(2, 60), mapping=st.lists(st.tuples(chars, st.integers(0, 59)), max_size=120),
       runs=st.lists(st.tuples(chars, st.integers(1, 40)), max_size=4), astral=st.booleans(),
       spaces=st.sampled_from([(), (0x20,), (0xA0,), (0x20, 0xA0)]),
       units=st.sampled_from([1000, 1024, 2048]), data=st.data())
def test_any_font_is_read_as_reportlab_reads_it(tmp_path_factory, glyphs, mapping, runs, astral, spaces, units, data):
    """Character maps of format 4 (characters up to U+FFFF, with runs that give segments of
    consecutive glyphs and scattered characters that give looked-up ones) and format 12
    (characters beyond), with a space, a no-break space, both or neither."""
    cmap = {char: glyph % glyphs for char, glyph in mapping}
    for start, length in runs:
        cmap.update({start + i: (1 + i) % glyphs for i in range(length)})
    cmap = {char: glyph for char, glyph in cmap.items() if (astral or char <= 0xFFFF) and char not in (0x20, 0xA0)}
    cmap.update({char: data.draw(st.integers(0, glyphs - 1)) for char in spaces})
    advances = data.draw(st.lists(st.integers(0, 3 * units), min_size=glyphs, max_size=glyphs))
    path = tmp_path_factory.mktemp("font") / "probe.ttf"
    path.write_bytes(_font(cmap, advances, units))
    assert_read_alike(path)


def test_a_character_map_format_the_reader_leaves_alone_is_read_by_reportlab(tmp_path):
    path = tmp_path / "probe.ttf"
    path.write_bytes(_font({c: 1 + c % 3 for c in range(0x41, 0x5B)}, [500, 600, 700, 800], 1000, cmap_format=6))
    face = assert_read_alike(path)
    assert "_cmap_before" not in vars(face)  # ReportLab's reader made these tables


def test_a_character_in_two_segments_of_the_map_is_read_as_reportlab_reads_it(tmp_path):
    """A run up to U+FFFF shares that character with the segment every format-4 map ends
    with; ReportLab then lists it twice under its glyph, so the map goes to ReportLab."""
    path = tmp_path / "probe.ttf"
    path.write_bytes(_font({0xFFF8 + i: (1 + i) % 2 for i in range(8)}, [500, 700], 1000))
    assert "_cmap_before" not in vars(assert_read_alike(path))


def _fewer_glyphs(font: bytes, count: int) -> bytes:
    """``font`` claiming only ``count`` glyphs (and metrics): a map naming a glyph past them."""
    data = bytearray(font)
    tables = struct.unpack_from(">H", data, 4)[0]
    for n in range(tables):
        tag, _, offset, _ = struct.unpack_from(">4sLLL", data, 12 + 16 * n)
        if tag == b"maxp":
            struct.pack_into(">H", data, offset + 4, count)
        elif tag == b"hhea":
            struct.pack_into(">H", data, offset + 34, count)
    return bytes(data)


@pytest.mark.parametrize("last", [True, False])
def test_a_character_on_a_glyph_past_the_last_is_read_as_reportlab_reads_it(tmp_path, last):
    """Its character is in the map but has no width; with ``last``, only the highest glyph is
    past them, else one between."""
    cmap = {0x41 + c: c % 5 for c in range(12)} if last else {0x41 + c: (c * 7) % 9 for c in range(12)}
    count = 4 if last else 6
    path = tmp_path / "probe.ttf"
    path.write_bytes(_fewer_glyphs(_font(cmap, [500, 600, 700, 800, 900, 1000, 1100, 1200, 1300], 1000), count))
    face = assert_read_alike(path)
    assert "_cmap_before" in vars(face)  # studygen's reader made these tables
    past = {char for char, glyph in cmap.items() if glyph >= count}
    assert past and not past & set(face.charWidths)
