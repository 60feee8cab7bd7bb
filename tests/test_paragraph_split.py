"""A paragraph cut at a page's end gives a first part that fits the room it was cut for,
even where ReportLab's hyphenation of words with soft hyphens would not."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from pypdf import PdfReader
from reportlab import rl_config

from generator.build import build
from generator.render import Options
from generator.render.pdf import fonts
from generator.render.pdf.para import Paragraph
from generator.render.pdf.styles import styles
from tests.conftest import starter, write_content

LONG = "supercalifragilistic" * 5
FOUND = ("".join([LONG + "\xad ", LONG + " ", "NMNℝ "]) * 20).strip()  # stopped the build with a splitting error


@st.composite
def text(draw) -> str:
    words = st.sampled_from([LONG, LONG[:37], "autophagy", "NMN", "x", "mono\xadnucleotide", "long-lived"])
    pieces = draw(st.lists(st.tuples(words, st.sampled_from(["", "\xad", "\xad\xad"]), st.sampled_from([" ", "\xad "])),
                           min_size=1, max_size=12))
    return ("".join(w + shy + gap for w, shy, gap in pieces) * draw(st.sampled_from([1, 5, 20]))).strip()


@settings(max_examples=60, deadline=None)
@given(text(), st.sampled_from(["body", "reference", "takeaway"]), st.sampled_from([150.0, 300.0, 451.0]),
       st.sampled_from([31.0, 100.0, 400.0]))
def test_the_first_part_of_a_split_paragraph_fits_its_room(body, style, width, height):
    fonts.register()
    parts = Paragraph(body, styles()[style]).split(width, height)
    if len(parts) > 1:
        assert parts[0].wrap(width, height)[1] <= height + rl_config._FUZZ


def test_the_explainer_builds_a_section_of_long_words_with_soft_hyphens(tmp_path):
    data = starter()
    data["sections"][1]["body"] = FOUND
    path = write_content(tmp_path / "content", data)
    [output] = build([path], tmp_path / "out", ["pdf"], Options())
    pages = PdfReader(output.path).pages
    assert sum(page.extract_text().count("NMN") for page in pages) >= 20
