"""Words measured by studygen's own sum of advance widths are as wide as ReportLab measures them."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st
from reportlab.pdfbase import pdfmetrics

from generator.render.pdf import fonts, widths

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
