"""Paragraph lines drawn directly (``render/pdf/lines``) give the bytes ReportLab's own
``drawPara`` gives: the same paragraph is drawn on two canvases, once each way."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings, strategies as st
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph

from generator.render.pdf import fonts, lines, para
from generator.render.pdf.fonts import REGULAR
from generator.render.pdf.text import esc
from tests.test_frags import REFS, STYLES, _paragraph_markup
from tests.test_grammar_property import WORDS

fonts.register()


def _more_styles() -> dict[str, ParagraphStyle]:
    """studygen's styles, and the alignments, indents and fonts they do not use."""
    found = dict(STYLES)
    body = STYLES["body"]
    found["right"] = ParagraphStyle("right", body, alignment=TA_RIGHT)
    found["centre indented"] = ParagraphStyle("ci", body, alignment=TA_CENTER, leftIndent=12, rightIndent=9,
                                              firstLineIndent=20)
    found["justified last"] = ParagraphStyle("jl", body, alignment=TA_JUSTIFY, justifyLastLine=2,
                                             firstLineIndent=-8, leftIndent=8)
    # Spaces that may shrink: lines wider than the width, with negative extra space.
    found["centre shrinking"] = ParagraphStyle("cs", body, alignment=TA_CENTER, spaceShrinkage=0.3)
    found["right shrinking"] = ParagraphStyle("rs", body, alignment=TA_RIGHT, spaceShrinkage=0.3)
    found["left shrinking"] = ParagraphStyle("ls", body, alignment=TA_LEFT, spaceShrinkage=0.3)
    found["helvetica"] = ParagraphStyle("h", body, fontName="Helvetica")  # not TrueType: ReportLab's
    found["boxed"] = ParagraphStyle("b", body, backColor="#eeeeee")  # a background: ReportLab's
    found["auto leading"] = ParagraphStyle("a", body, autoLeading="max")  # ReportLab's
    return found


STYLE_OF = _more_styles()
ALIGNED = ["body", "cell", "reference", "takeaway", "glossary", "toc", "card 10.5", "source", "right",
           "centre indented", "justified last", "centre shrinking", "right shrinking", "left shrinking"]


def _pdf(markup: str, style: ParagraphStyle, width: float, direct: bool, bullet=None, split: float | None = None,
         drawn: list | None = None) -> bytes:
    """A page with the paragraph (or the parts it splits into at ``split`` points of height)
    drawn twice, the second time after other text and half transparent, and the places its
    links point at."""
    with pytest.MonkeyPatch.context() as m:
        if direct:
            m.setattr(paragraph.Paragraph, "drawPara", lines.draw_para)
            if drawn is not None:
                m.setattr(lines, "_Lines", _counted(drawn))
        else:
            m.setattr(paragraph.Paragraph, "drawPara", lines._draw_para)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, pageCompression=0, initialFontName=REGULAR)
        for y in (500, 100):
            if y == 100:
                canvas.setFillAlpha(0.5)  # a colour's opacity then differs from the page's
            p = para.Paragraph(markup, style, bulletText=bullet)
            p.wrap(width, 1e6)
            parts = [p] if split is None else p.split(width, split) or [p]
            for n, part in enumerate(parts):
                part.wrap(width, 1e6)
                part.drawOn(canvas, 40 + 10 * n, y - 60 * n)
            canvas.setFont(REGULAR, 9)
            canvas.drawString(30, 30, "αβ ≥ NAD⁺")
        for ref in REFS + ["nosuchref", "lee2008-2"]:
            canvas.bookmarkPage(f"ref-{ref}")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def _counted(drawn: list):
    class Counted(lines._Lines):
        def __init__(self, tx):
            drawn.append(1)
            super().__init__(tx)
    return Counted


def _same(markup: str, style: str, width: float, bullet=None, split=None) -> int:
    """Both ways give the same bytes; how many paragraphs were drawn directly."""
    drawn: list = []
    direct = _pdf(markup, STYLE_OF[style], width, True, bullet, split, drawn)
    assert direct == _pdf(markup, STYLE_OF[style], width, False, bullet, split), (markup, style, width)
    return len(drawn)


@settings(max_examples=40, deadline=None)
@given(_paragraph_markup(), st.sampled_from(sorted(STYLE_OF)), st.sampled_from([18.0, 45.0, 120.0, 400.0]),
       st.sampled_from([None, "•", "12.", "<b>x</b>"]), st.sampled_from([None, 20.0, 40.0]))
def test_paragraphs_of_studygen_markup_are_drawn_as_reportlab_draws_them(markup, style, width, bullet, split):
    _same(markup, style, width, bullet, split)


LINK = '<a href="#ref-lee2008" color="#1f4e79">{}</a>'
URL = '<a href="https://doi.org/10.1/a&amp;b" color="#1f4e79">{}</a>'
ANCHOR = '<a name="ref-lee2008-2"/>'
LONG = esc(" ".join(WORDS * 3))


@pytest.mark.parametrize("style", ALIGNED)
@pytest.mark.parametrize("markup", [
    LONG,  # one style: ReportLab's lines of words
    f"{LONG} <b>{LONG}</b> <i>x</i><super>+</super> H<sub>2</sub>O {LONG}",  # runs in several styles
    f"{LONG} [{LINK.format(1)}, {LINK.format('<b>2</b>')}] {LONG} {URL.format(LONG)} end",  # links across lines
    f"{ANCHOR}Lee (2008). <i>{LONG}</i> {URL.format('doi')}",  # an anchor first, as a reference
    f"a{LINK.format('b')}c<br/><br/><br/>{LINK.format('')} \u00a0x\u00a0y {LONG}<br/>{ANCHOR}",
    "", " ", "<br/>", "<b></b>", ANCHOR, f"x{ANCHOR}", "Aa\u00a0Bb\u00a0" * 30,
    "abc defgh ij " * 30,  # one style: with shrinking spaces, lines wider than 150 points
])
def test_fixed_paragraphs_are_drawn_as_reportlab_draws_them(style, markup):
    _same(markup, style, 30.0)
    _same(markup, style, 450.0, "•")
    _same(markup, style, 150.0, split=30.0)


@pytest.mark.parametrize("markup", [LONG, f"{LONG} <b>{LONG}</b>", f"{LONG} {LINK.format(LONG)}", f"{ANCHOR} {LONG}"])
def test_plain_paragraphs_links_anchors_and_bullets_are_drawn_directly(markup):
    for style in ALIGNED:
        assert _same(markup, style, 150.0, "•") == 2


@pytest.mark.parametrize("style", ["helvetica", "boxed", "auto leading"])
def test_what_is_not_drawn_directly_is_left_to_reportlab(style):
    assert _same(f"{LONG} <b>{LONG}</b>", style, 150.0) == 0
    assert _same("<u>under</u> <strike>x</strike> y", "body", 150.0) == 0
