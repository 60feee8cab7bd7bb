"""Card faces laid out and drawn by ``render/pdf/faces`` give the height and the PDF bytes a
ReportLab Paragraph in the card style gives, with ReportLab's own line breaking and drawing."""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given, settings, strategies as st
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph

from generator.load import load
from generator.render import Options
from generator.render.pdf import cards, faces, fonts, linebreak, lines
from generator.render.pdf.fonts import REGULAR
from generator.render.pdf.para import Paragraph
from generator.render.pdf.text import esc
from tests.conftest import CONTENT, ROOT
from tests.test_frags import SPECIAL, _paragraph_markup
from tests.test_grammar_property import WORDS

fonts.register()

SIZES = st.sampled_from([cards.MAX_SIZE, 10.5, cards.MIN_SIZE])
WIDTHS = st.floats(25, 300) | st.sampled_from([120.0, 269.1])
PLACES = st.lists(st.tuples(st.floats(0, 500), st.floats(0, 700)), min_size=1, max_size=3)


@st.composite
def face_markup(draw, depth: int = 3):
    """Markup of the kind a card face is made of: text with spaces of every kind, entities,
    line breaks and nested b, i, super and sub spans, some empty."""
    parts = draw(st.lists(st.one_of(
        st.sampled_from(WORDS + SPECIAL + ["NAD", "cells", "a", "[…]", "(Lee et al.)"]).map(esc),
        st.sampled_from([" ", "  ", "\n", " \t", "", "\u00a0", "<br/>", "<br/><br/>"]),
        *([st.tuples(st.sampled_from(["b", "i", "super", "sub"]), face_markup(depth - 1)).map(
            lambda t: f"<{t[0]}>{t[1]}</{t[0]}>")] if depth else [])), max_size=8))
    return "".join(parts)


def _reportlabs(markup: str, style, width: float, places) -> tuple[float, bytes]:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(paragraph.Paragraph, "breakLines", linebreak.break_lines.original)
        m.setattr(paragraph.Paragraph, "drawPara", lines._draw_para)
        p = Paragraph(markup, style)
        height = p.wrap(width, 1e6)[1]
        return height, _pdf(lambda canvas, x, y: p.drawOn(canvas, x, y), places)


def _pdf(draw, places) -> bytes:
    """The text drawn at each place on a page that shows other text first and last."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=REGULAR)
    canvas.setFont(REGULAR, 9)
    canvas.drawString(5, 5, "before \u03b1")
    for x, y in places:
        draw(canvas, x, y)
    canvas.drawString(5, 15, "after \u03b2\u2265")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _same(markup: str, size: float, width: float, places, style=None) -> faces.Face | None:
    style = cards._style(size) if style is None else style
    face = faces.lay_out(markup, style, width)
    if face is not None:
        height, expected = _reportlabs(markup, style, width, places)
        assert face.height == height, markup
        assert _pdf(lambda canvas, x, y: faces.draw(face, canvas, x, y), places) == expected, markup
    return face


@settings(max_examples=150, deadline=None)
@given(face_markup(), SIZES, WIDTHS, PLACES)
def test_faces_are_laid_out_and_drawn_as_reportlabs_paragraphs(markup, size, width, places):
    _same(markup, size, width, places)


@settings(max_examples=60, deadline=None)
@given(_paragraph_markup(), SIZES, WIDTHS, PLACES)
def test_faces_of_any_studygen_markup_are_reportlabs_or_left_to_reportlab(markup, size, width, places):
    _same(markup, size, width, places)


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="ab Z.,;’“”–é\u00a0\u00ad&<>\n\t-", max_size=60), WIDTHS, PLACES)
def test_a_backs_source_line_is_laid_out_and_drawn_as_reportlabs_paragraph(text, width, places):
    """The source line under a printed back (grey, small) as ``cards._source_line`` makes it:
    a face where faces can lay it out, as tall as ReportLab's paragraph and drawn the same."""
    face = _same(esc(text), 0, width, places, cards._source_style())
    made, height = cards._source_line(text, width)
    p = Paragraph(esc(text), cards._source_style())
    assert height == p.wrap(width, 1e6)[1] + cards.SOURCE_SIZE * 0.6
    assert made.__class__ is (Paragraph if face is None else faces.Face)
    assert _pdf(lambda canvas, x, y: cards._draw(made, canvas, x, y), places) == \
        _pdf(lambda canvas, x, y: p.drawOn(canvas, x, y), places)


def test_a_plain_source_line_takes_the_direct_way():
    assert isinstance(cards._source_line("From “How to read evidence levels”", 230.0)[0], faces.Face)


@pytest.mark.parametrize("markup", [
    "NAD<super>+</super> and H<sub>2</sub>O in <b>cells</b> that <i>grow <b>fast</b></i>",
    "<b>all bold</b>", "front<br/><br/>back (Lee et al.)", "a\u00a0b c&amp;d &lt;e&gt;",
    "x <b>y</b> z", "<super>up <sub>down</sub></super> end",
])
def test_lines_of_every_width_are_reportlabs(markup):
    """Widths in small steps: lines that just fit, lines wider than the box within the spaces'
    shrinking (drawn with negative word spacing), one word per line."""
    markup = " ".join([markup] * 4)
    width = 40.0
    while width < 260:
        assert _same(markup, 9.5, width, [(10, 20), (200.5, 300.25)]) is not None, width
        width += 3.7


@pytest.mark.parametrize("markup", [
    '<a href="https://x.org" color="#1f4e79">link</a>', '<a name="ref-a"/>x', "anti\u00adaging",
    "x" * 90, "", " ", "<br/>", "<u>under</u>",
])
def test_what_faces_do_not_reproduce_is_left_to_reportlab(markup):
    assert faces.lay_out(markup, cards._style(10.0), 150.0) is None


def test_faces_of_generated_content_take_the_direct_way(tmp_path):
    """Every face of a generated deck is laid out here (none is left to ReportLab)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    content = load(workloads.generated(tmp_path, "gen", cards=40, terms=6)).content
    cite = cards._cite(content)
    made = [cards._face(card, back, cite) for card in cards.study_cards(content) for back in (False, True)]
    assert made and all(faces.lay_out(m, cards._style(9.0), 230.0) is not None for m in made)


def test_a_canvas_faces_cannot_draw_on_gets_reportlabs_paragraph():
    """A half-transparent page: the face is drawn by ReportLab, which sets the opacity again."""
    markup = "NAD<super>+</super> in <b>cells</b>"
    style = cards._style(10.0)

    def translucent(draw):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, initialFontName=REGULAR)
        canvas.setFillAlpha(0.5)
        draw(canvas)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    face, used = cards._laid_out(markup, 10.0, 150.0)
    assert isinstance(face, faces.Face)
    p = Paragraph(markup, style)
    assert p.wrap(150.0, 1e6)[1] == used
    assert translucent(lambda canvas: cards._draw(face, canvas, 10, 10)) == \
        translucent(lambda canvas: p.drawOn(canvas, 10, 10))


def test_card_sheets_are_the_same_without_faces(monkeypatch):
    doc = load(CONTENT)
    fast = cards.render(doc, Options())
    cards._checked.clear()
    cards._fitted.cache_clear()
    cards._laid_out.cache_clear()
    cards._sizes.clear()
    monkeypatch.setattr(faces, "lay_out", lambda markup, style, width: None)
    assert cards.render(load(CONTENT), Options()) == fast
