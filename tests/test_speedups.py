"""Shortcuts taken for speed give exactly the bytes of the plain way."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.platypus import Frame, paragraph

from generator.load import load
from generator.render import Options
from generator.render.pdf import doc as pdf_doc, explainer, reuse
from tests.conftest import CONTENT, ROOT


def plain_explainer(monkeypatch, path: Path, options: Options) -> bytes:
    """The explainer drawn on every pass and wrapping every paragraph afresh."""
    with monkeypatch.context() as m:
        m.setattr(reuse, "install", lambda: None)
        m.setattr(paragraph.Paragraph, "wrap", reuse._original)
        m.setattr(pdf_doc._Frame, "add", Frame._add)
        m.setattr(pdf_doc._Frame, "_add", Frame._add)
        return explainer.render(load(path), options)


@pytest.mark.parametrize("path", [CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml"])
@pytest.mark.parametrize("options", [Options(), Options(page_size="letter")])
def test_the_explainer_is_the_same_with_and_without_layout_shortcuts(monkeypatch, path, options):
    fast = explainer.render(load(path), options)
    assert plain_explainer(monkeypatch, path, options) == fast
    assert explainer.render(load(path), options) == fast


def test_card_sheets_are_the_same_when_built_after_check_and_alone():
    from generator.render.pdf import cards

    doc = load(CONTENT)
    assert cards.check(doc, Options()) == []
    after_check = cards.render(doc, Options())  # reuses the check's answer and measured faces
    cards._checked.clear()
    cards._fitted.cache_clear()
    cards._sizes.clear()
    cards._source_line.cache_clear()
    assert cards.render(load(CONTENT), Options()) == after_check
    cards._checked.clear()
    cards._fitted.cache_clear()
    cards._sizes.clear()
    assert cards.render_checked(load(CONTENT), Options()) == after_check  # what build's workers call


@pytest.mark.parametrize("markup", ["plain text, every face has it", "<b>bold</b> and <i>italic</i>",
                                    "a\u00a0non-breaking\tspace", "a Word bullet \uf0b7 here", "emoji \U0001F600",
                                    "&#xf0b7; by entity", "<b>\u0800</b> in bold", "&amp; and &lt;"])
def test_the_glyph_check_skips_parsing_only_when_nothing_can_be_missing(markup):
    from reportlab.platypus.paraparser import ParaParser

    from generator.render.pdf import fonts
    from generator.render.pdf.cards import _style

    fonts.register()
    style = _style(10)
    _, frags, _ = ParaParser().parse(markup, style)
    parsed = [(f.fontName, " ".join(f.text.split())) for f in frags if getattr(f, "text", "")]
    assert fonts.glyph_problems([("x", fonts.in_paragraph(markup, style))]) \
        == fonts.glyph_problems([("x", parsed)])
