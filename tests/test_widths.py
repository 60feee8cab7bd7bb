"""Words measured by studygen's own sum of advance widths are as wide as ReportLab measures them."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import paragraph

from generator.render.pdf import fonts, linebreak, para, widths
from tests.test_frags import STYLES
from tests.test_linebreak import described, runs, state

fonts.register()

# Letters, punctuation, a no-break and a soft hyphen, characters beyond Latin-1 in the faces,
# and some no face has (measured at the face's default width).
_CHARS = "aAzZ09 .,;’“”–—-\u00a0\u00adéßαβ⁺₂…→≥一\U0001f600\x00"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_CHARS, max_size=30), st.sampled_from([fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC]),
       st.one_of(st.floats(min_value=0.5, max_value=60, allow_nan=False), st.integers(min_value=1, max_value=40)),
       st.booleans())
@example("", fonts.REGULAR, 10.5, False)
@example("Autophagy", fonts.ITALIC, 7, False)
def test_a_word_is_as_wide_as_reportlab_measures_it(text, font, size, seen):
    widths._known.clear()  # measured, not remembered
    if not seen:
        widths._chars.clear()  # characters not yet looked up either
    ours = widths._string_width(text, font, size)
    theirs = pdfmetrics.stringWidth(text, font, size)
    assert ours == theirs
    assert type(ours) is type(theirs)


def _break(p, width, measure):
    saved = paragraph.stringWidth
    paragraph.stringWidth = measure
    try:
        return (linebreak.break_lines if measure is widths._string_width else linebreak.break_lines.original)(p, [width])
    finally:
        paragraph.stringWidth = saved


@settings(max_examples=60, deadline=None)
@given(runs(), st.sampled_from(["body", "cell", "glossary", "card 7.0"]), st.sampled_from([30.0, 120.0, 451.3]),
       st.booleans())
def test_words_read_from_the_remembered_widths_break_lines_as_reportlab_measures_them(markup, name, width, known):
    # studygen's breaker reads a word measured before from its font's table; ReportLab's own
    # breaker measures every word with ReportLab's own measure.
    widths._known.clear()
    if known:  # every word remembered, or none
        _break(para.Paragraph(markup, STYLES[name]), width, widths._string_width)
    ours, theirs = para.Paragraph(markup, STYLES[name]), para.Paragraph(markup, STYLES[name])
    got = _break(ours, width, widths._string_width)
    expected = _break(theirs, width, widths._measure)
    assert described(got) == described(expected), markup
    assert state(ours) == state(theirs), markup


def test_a_font_reportlab_has_not_loaded_yet_is_measured_by_reportlab():
    # A standard font's name is known to ReportLab before it is loaded (on the first measure).
    pdfmetrics._fonts.pop("Times-Roman", None)
    widths._known.clear()
    assert widths._string_width("Autophagy", "Times-Roman", 10) == pdfmetrics.stringWidth("Autophagy", "Times-Roman", 10)


def test_a_words_width_adds_its_characters_from_the_left_as_the_compiled_measure_does():
    """Added from the left, 1e16 + 1 rounds back to 1e16, so "abc" is 0; a compensated sum
    (Python's ``sum`` of floats from 3.12) would give 1."""
    class Face:
        charWidths = {ord("a"): 1e16, ord("b"): 1.0, ord("c"): -1e16}

    class Font:
        face = Face()

    font = Font()
    assert widths._advance_sum(font, "abc") == (1e16 + 1.0) + -1e16 == 0.0
    assert widths._advance_sum(font, "bac") == 1.0 + 1e16 - 1e16 == 0.0
    assert widths._advance_sum(font, "acb") == 1.0
