"""Hostile text: every string shows as typed in both outputs, and nothing overflows."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.load import load
from generator.render import FORMATS, Options
from tests.conftest import ROOT, import_apkg

FIXTURE = ROOT / "tests" / "fixtures" / "hostile.toml"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name in ("hostile.toml", "hostile.source.txt"):
        shutil.copyfile(FIXTURE.parent / name, folder / name)
    out = folder / "out"
    build([folder / "hostile.toml"], out, list(FORMATS), Options(), workers=1)
    return out


def expected_strings() -> list[str]:
    c = load(FIXTURE).content
    url = c.cards[1].back
    word = c.cards[1].front
    return ["<script>alert(1)</script>", "a < b & c > d", '"double"', "'single'", "“quotes”",
            "α β γ µ ≥ ≤ ±", url, word, "NAD+", "H2O", "**unbalanced bold", "^{open sup.",
            "Hostile <b>text</b>", "<i>at all</i>", "O'Brien A, Smith & Jones B"]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    return "".join(page.get_textpage().get_text_range() for page in pdf)


def test_pdf_shows_every_string_as_typed(hostile):
    text = squash(pdf_text(hostile / "hostile.pdf"))
    for s in expected_strings():
        assert squash(s) in text, s
    cards = squash(pdf_text(hostile / "hostile-cards.pdf"))
    for s in ["<script>alert(1)</script>", "a < b & c > d", "α β γ µ ≥ ≤ ±", "a <coenzyme>", "water & more",
              "**unbalanced and ^{open."]:
        assert squash(s) in cards, s


def test_flashcard_text_stays_inside_its_card(hostile):
    from tests.test_cards_pdf import check_text_inside_cards
    check_text_inside_cards(hostile / "hostile-cards.pdf", load(FIXTURE).content)


def test_pdf_long_words_and_urls_wrap_inside_the_margins(hostile):
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(hostile / "hostile.pdf"))
    for page in pdf:
        width, _ = page.get_size()
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            left, _, right, _ = textpage.get_charbox(i)
            if right > left:  # spaces and line ends have empty boxes
                assert 18 * MM - 0.5 <= left and right <= width - 18 * MM + 0.5, (i, left, right)


def strip_tags(fragment: str) -> str:
    fragment = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_anki_fields_escape_everything(hostile, tmp_path):
    col, _ = import_apkg(tmp_path / "c.anki2", hostile / "hostile.apkg")
    try:
        notes = [col.get_note(n) for n in col.find_notes("")]
        assert notes
        for note in notes:
            for value in note.fields:
                assert "<script" not in value.lower()
                # only the inline markup's own tags (and the Source field's links) reach a field
                assert set(re.findall(r"</?([a-zA-Z0-9]+)", value)) <= {"b", "i", "sup", "sub", "a", "br", "div",
                                                                       "span", "img"}
        shown = " ".join(strip_tags(col.get_card(c).answer()) for c in col.find_cards(""))
        pdf_only = {"Hostile <b>text</b>", "<i>at all</i>", "“quotes”", "**unbalanced bold", "^{open sup.",
                    "O'Brien A, Smith & Jones B"}  # title, notice, summary and full author list
        for s in [*(e for e in expected_strings() if e not in pdf_only), "**unbalanced and ^{open."]:
            assert squash(s) in squash(shown), s
        cloze_answers = [strip_tags(col.get_card(c).answer()) for c in col.find_cards("tag:hostile")]
        assert any("a <coenzyme>" in a for a in cloze_answers)
        assert any("water & more" in a for a in cloze_answers)
        decks = {col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
        assert decks == {load(FIXTURE).content.article.deck}
    finally:
        col.close()
