"""Printable flashcards, read back with pypdfium2 and checked against the real Anki deck."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.inline import parse, plain
from generator.render import Options
from generator.study import study_cards
from generator.load import load
from tests.conftest import import_apkg, starter, write_content


def page_chars(page) -> tuple[str, list[tuple[float, float, float, float]]]:
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    return text, [textpage.get_charbox(i) for i in range(len(text))]


def find_card(text: str, boxes, label: str, deck: str) -> tuple[float, float] | None:
    """Centre x and baseline y of the card whose edge line reads 'label  deck · side'.

    Long labels and deck names are printed shortened with an ellipsis.
    """
    for m in re.finditer(r"(?m)^([^\r\n]*) · (question|answer)", text):
        line = m.group(1)
        splits = [k for k, ch in enumerate(line) if ch == " "]
        if not any(_same(line[:k], label) and _same(line[k + 1:], deck) for k in splits):
            continue
        left, right = boxes[m.start()][0], boxes[m.end() - 1][2]
        return (left + right) / 2, boxes[m.start()][1]
    return None


def _same(shown: str, full: str) -> bool:
    return shown == full or (shown.endswith("…") and full.startswith(shown[:-1]))


def clusters(values, reverse=False) -> list[float]:
    """Distinct positions, merging those within a point of each other (text boxes jitter)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1:
            out.append(v)
    return out[::-1] if reverse else out


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cards")
    path = write_content(folder, starter())
    build([path], folder / "out", ["cards", "anki"], Options(), workers=1)
    return path, folder / "out"


def test_same_cards_as_the_deck_and_page_count(sheet, tmp_path):
    path, out = sheet
    col, _ = import_apkg(tmp_path / "c.anki2", out / "nmn-autophagy.apkg")
    try:
        deck_cards = col.card_count()
    finally:
        col.close()
    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    assert len(study_cards(load(path).content)) == deck_cards
    assert len(pdf) == 2 * math.ceil(deck_cards / 8)


def test_each_back_is_behind_its_front(sheet):
    path, out = sheet
    content = load(path).content
    deck = plain(parse(content.article.deck))
    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    pages = [page_chars(pdf[i]) for i in range(len(pdf))]
    width = pdf[0].get_size()[0]
    for card in study_cards(content):
        label = plain(parse(card.label))
        hits = [(n, find_card(*pages[n], label, deck)) for n in range(len(pages))]
        hits = [(n, pos) for n, pos in hits if pos]
        assert len(hits) == 2, (label, hits)
        (front_page, front), (back_page, back) = hits
        assert front_page % 2 == 0 and back_page == front_page + 1  # pages 1, 3, … hold fronts
        assert back[0] == pytest.approx(width - front[0], abs=0.5)  # mirrored across the long edge
        assert back[1] == pytest.approx(front[1], abs=0.5)
        front_text, back_text = pages[front_page][0], pages[back_page][0]
        question = " ".join(plain(parse(card.front)).split())
        if card.kind != "cloze":
            assert question[:25] in " ".join(front_text.split())
            assert " ".join(plain(parse(card.back)).split())[:25] in " ".join(back_text.split())


def test_cloze_front_hides_only_its_deletion(sheet):
    path, out = sheet
    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    text = " ".join(" ".join(page_chars(pdf[i])[0].split()) for i in range(len(pdf)))
    assert "documented mostly in […]; human data are limited." in text
    assert "documented mostly in model organisms and rodents; human data are […]." in text


def check_text_inside_cards(pdf_path: Path, content) -> None:
    """Every character lies inside the card whose edge line is nearest below it."""
    deck = plain(parse(content.article.deck))
    pdf = pdfium.PdfDocument(str(pdf_path))
    for i in range(len(pdf)):
        text, boxes = page_chars(pdf[i])
        anchors = [p for c in study_cards(content) if (p := find_card(text, boxes, plain(parse(c.label)), deck))]
        assert anchors, f"page {i + 1} has no card"
        xs = clusters(x for x, _ in anchors)
        ys = clusters((y for _, y in anchors), reverse=True)
        card_w = xs[1] - xs[0] if len(xs) > 1 else pdf[i].get_size()[0]
        card_h = ys[0] - ys[1] if len(ys) > 1 else pdf[i].get_size()[1]
        for (left, bottom, right, top), ch in zip(boxes, text):
            if right <= left:
                continue
            assert any(x - card_w / 2 <= left and right <= x + card_w / 2 for x in xs), (ch, left, right)
            # a card's text sits between its own edge line and the one above
            assert any(y - 2.5 <= bottom and top <= y + card_h for y in ys), (ch, bottom, top)


def test_text_stays_inside_its_card(sheet):
    path, out = sheet
    check_text_inside_cards(out / "nmn-autophagy-cards.pdf", load(path).content)


def test_long_text_shrinks_then_fails_with_the_card_id(tmp_path):
    data = starter()
    data["cards"][0]["back"] = "A long but reasonable answer that needs smaller type. " * 8
    data["cards"][1]["back"] = "An answer far too long for any printed card. " * 60
    path = write_content(tmp_path / "content", data)
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 1
    assert "cards[1](id=nmn-atp).back: too long" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    del data["cards"][1]
    path = write_content(tmp_path / "content2", data)
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "-f", "cards"])
    assert result.exit_code == 0, result.output
    pdf = pdfium.PdfDocument(str(tmp_path / "out" / "nmn-autophagy-cards.pdf"))
    text = " ".join(pdf[1].get_textpage().get_text_range().split())
    assert "needs smaller type. A long but reasonable answer" in text


def test_letter_nine_per_page(tmp_path):
    path = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(out), "-f", "cards", "--page-size",
                                       "letter", "--cards-per-page", "9"])
    assert result.exit_code == 0, result.output
    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    assert [round(v) for v in pdf[0].get_size()] == [612, 792]
    assert len(pdf) == 2 * math.ceil(len(study_cards(load(path).content)) / 9)


@pytest.mark.parametrize("duplex", ["short", "none"])
def test_short_edge_and_no_mirroring(tmp_path, duplex):
    path = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(out), "-f", "cards", "--duplex", duplex])
    assert result.exit_code == 0, result.output
    content = load(path).content
    deck = plain(parse(content.article.deck))
    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    pages = [page_chars(pdf[i]) for i in range(2)]  # the first sheet is full
    sums = set()
    for card in study_cards(content)[:8]:
        label = plain(parse(card.label))
        front, back = (find_card(*pages[n], label, deck) for n in (0, 1))
        assert back[0] == pytest.approx(front[0], abs=0.5)  # same column
        if duplex == "none":
            assert back[1] == pytest.approx(front[1], abs=0.5)
        else:
            sums.add(front[1] + back[1])  # rows swap top to bottom
    if duplex == "short":
        assert max(sums) - min(sums) < 1


def test_unprintable_character_names_the_card_field(tmp_path):
    data = starter()
    data["cards"][0]["back"] = "NAD⁺ 漢"
    path = write_content(tmp_path / "content", data)
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "-f", "cards"])
    assert result.exit_code == 1
    assert "cards[0](id=nmn-precursor).back: the PDF font (DejaVu Serif) cannot print '漢' (U+6F22" in result.output
    assert not (tmp_path / "out").exists()


def test_citations_read_as_on_the_deck_and_empty_content_still_prints(tmp_path):
    data = starter()
    data["cards"][0]["back"] = "NAD^{+} [@lee2008]"
    path = write_content(tmp_path / "content", data)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(path), "-o", str(out), "-f", "cards"]).exit_code == 0
    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    text = pdf[1].get_textpage().get_text_range()
    assert "(Lee et al. 2008)" in text and "[@" not in text
    data["cards"], data["glossary"] = [], []
    path = write_content(tmp_path / "empty", data)
    assert CliRunner().invoke(main, ["build", str(path), "-o", str(out), "-f", "cards"]).exit_code == 0
    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    assert len(pdf) == 1 and "no cards" in pdf[0].get_textpage().get_text_range()
