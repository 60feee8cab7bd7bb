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


def _fold(widths: dict, text: str):
    """A word's width as the compiled measure adds it: from the left, starting at 0."""
    total = 0
    for char in text:
        if ord(char) not in widths:
            return None
        total = total + widths[ord(char)]
    return total


_WIDTH = st.one_of(st.integers(0, 4000).map(lambda k: k * 1000 / 2048),  # a face of 2,048 units to the em
                   st.integers(0, 4000).map(lambda k: k * 1000 / 1000),
                   st.floats(0, 3000, allow_nan=False), st.floats(-10, 10, allow_nan=False),
                   st.sampled_from([1e16, -1e16, 2.0 ** 60, 1 / 3, 0.1, 5e-324]))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefgh"), _WIDTH, max_size=8),
       st.lists(st.text(alphabet="abcdefghi", max_size=12), min_size=1, max_size=12))
def test_a_fonts_words_are_summed_as_the_compiled_measure_adds_them(widths_by_char, texts):
    """Whatever the widths (whole units or not, negative, huge) and in whatever order a font's
    words and characters are met, each word is the left fold of its characters' widths
    (None with a character the face lacks), again when it is asked for a second time."""
    class Face:
        charWidths = {ord(c): w for c, w in widths_by_char.items()}

    class Font:
        face = Face()

    font = Font()
    for text in texts + texts[::-1]:
        expected = _fold(Face.charWidths, text)
        got = widths._advance_sum(font, text)
        assert got == expected, (text, Face.charWidths)
        if expected is not None:
            assert got * 0.001 * 10.5 == expected * 0.001 * 10.5


def test_words_of_huge_whole_widths_are_added_as_floats_where_their_sum_would_round():
    class Face:
        charWidths = {ord("a"): 2.0 ** 53, ord("b"): 1.0}

    class Font:
        face = Face()

    text = "abbb"  # from the left, each 1 is lost in the rounding of 2**53 + 1
    assert widths._advance_sum(Font(), text) == _fold(Face.charWidths, text) == 2.0 ** 53
