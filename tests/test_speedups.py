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
