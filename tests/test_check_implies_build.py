"""Property: whatever ``check`` accepts with some options, ``build`` builds with them, and
the PDFs draw no empty boxes.  Hostile text on the layout and glyph side: odd characters
(in some faces only, whitespace of every kind, emoji, CJK, invisible characters), long
runs, and every paper, card count and duplex setting."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.build import build
from generator.errors import ContentError
from generator.render import FORMATS, Options
from generator.render.pdf.cards import grid_counts
from tests.conftest import starter, write_content
from tests.pdf_glyphs import boxes

ODD = ["ℝ", "ℝ", "ℝ", "ℕ", "\t", "\u00a0", "\u2028", "\u3000", "\u200b", "\u00ad", "\ufeff", "\u180e", "😀", "漢", "é",
       "e\u0301", "∑", "≥", "⁺", "₂", "µ", "—", "’", "«", "א", "ß", "\u2003", "&", "<b>", "**", "*", "^{", "_{"]
TEXT_FIELDS = [("article", None, "title"), ("article", None, "subtitle"), ("article", None, "summary"),
               ("article", None, "notice"), ("article", None, "deck"), ("takeaways", 0, "text"),
               ("sections", 0, "heading"), ("sections", 1, "body"), ("claims", 0, "statement"),
               ("claims", 1, "note"), ("pathway", 0, "label"), ("pathway", 1, "detail"), ("glossary", 0, "term"),
               ("glossary", 1, "definition"), ("references", 0, "authors"), ("references", 0, "journal"),
               ("references", 0, "note"), ("cards", 0, "front"), ("cards", 0, "back")]


@st.composite
def piece(draw) -> str:
    word = draw(st.sampled_from(["NMN", "autophagy", "x", "supercalifragilistic" * 5]))
    odd = draw(st.lists(st.sampled_from(ODD), max_size=3))
    return word + "".join(odd) + draw(st.sampled_from([" ", " ", "\n", ""]))


@st.composite
def case(draw):
    edits = draw(st.lists(st.tuples(st.sampled_from(TEXT_FIELDS),
                                     st.lists(piece(), min_size=1, max_size=6),
                                     st.sampled_from([1, 1, 1, 20, 120])), min_size=1, max_size=3))
    page_size = draw(st.sampled_from(["a4", "letter"]))
    per_page = draw(st.sampled_from(grid_counts(page_size)))
    duplex = draw(st.sampled_from(["long", "short", "none"]))
    return edits, Options(page_size=page_size, cards_per_page=per_page, duplex=duplex)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(case())
def test_check_passes_then_build_succeeds_without_boxes(tmp_path_factory, generated):
    edits, options = generated
    data = starter()
    for (table, index, key), pieces, repeat in edits:
        text = ("".join(pieces) * repeat).strip() or "x"
        if key == "deck":
            text = "".join(c for c in text if c not in ":\n") or "x"
        (data[table] if index is None else data[table][index])[key] = text
    folder = tmp_path_factory.mktemp("case")
    path = write_content(folder / "content", data)
    out = folder / "out"
    from generator.build import check_all, content_paths
    from generator.load import load_all
    from generator.render import FORMATS

    try:
        docs = load_all(content_paths([path]))
        check_all([(doc, FORMATS[name]) for doc in docs for name in ("pdf", "cards")], options)
    except ContentError as error:  # refused: each problem names a field
        assert all(p.where for found in error.problems.values() for p in found)
        return
    outputs = build([path], out, ["pdf", "cards"], options)  # must not raise
    for output in outputs:
        assert boxes(output.data) == 0, output.path.name


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_with_its_own_checks_is_checked(name):
    """``check`` imports only the modules marked as having checks: a check() left unmarked
    would be skipped by both commands."""
    fmt = FORMATS[name]
    assert fmt.checks == hasattr(fmt.renderer(), "check")
