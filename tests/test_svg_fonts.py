"""The diagram's embedded font subsets: the shortcuts taken for speed give exactly the bytes
of fontTools' own subsetter reading the whole font."""

from __future__ import annotations

import io

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from generator.render.pdf.svg_fonts import FONT_DIR, subset_font

TEXTS = ["NAD⁺ → SIRT1 (shown in mice)", "Each arrow shows the strongest kind of study: ﬁ ŉ ΐ 0123456789 αβγ ∑≥"]


def plain_subset(path, text: str) -> bytes:
    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "kern"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@pytest.mark.parametrize("path", sorted(FONT_DIR.glob("*.ttf")), ids=lambda p: p.stem)
@pytest.mark.parametrize("text", TEXTS)
def test_a_subset_has_the_bytes_of_the_plain_subsetter(path, text):
    made = subset_font.__wrapped__(path, text)
    assert made == plain_subset(path, text)
    assert TTFont(io.BytesIO(made))["post"].formatType == 3.0  # no glyph names kept
