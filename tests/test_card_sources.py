"""The source line on each card's back: the printed card and the deck's card say the same."""

from __future__ import annotations

import pypdfium2 as pdfium

from generator.build import build
from generator.inline import parse, plain
from generator.load import load
from generator.render import Options
from generator.study import study_cards
from tests.conftest import import_apkg, starter, write_content
from tests.test_anki import squash, visible
from tests.test_cards_pdf import find_card, page_chars


def test_printed_backs_carry_the_source_line_of_the_deck(tmp_path):
    path = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    build([path], out, ["cards", "anki"], Options())
    content = load(path).content
    deck = plain(parse(content.article.deck))
    cards = study_cards(content)
    claims = {c.id: c for c in content.claims}
    graded = [c for c in content.cards if c.claim]
    assert graded and any(c.refs for c in content.cards)

    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    pages = [page_chars(pdf[i]) for i in range(len(pdf))]
    col, _ = import_apkg(tmp_path / "c.anki2", out / "nmn-autophagy.apkg")
    try:
        answers = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            answers[(card.note().guid, card.ord)] = visible(card.answer())
        guids = {}
        import genanki
        for item in content.cards:
            guids[item.id] = genanki.guid_for(content.article.slug, item.id)
        for entry in content.glossary:
            guids[f"glossary:{entry.term}"] = genanki.guid_for(content.article.slug, "glossary", entry.term)

        for card in cards:
            assert card.source, card.label
            label = plain(parse(card.label))
            backs = [n for n in range(1, len(pages), 2) if find_card(*pages[n], label, deck)]
            assert len(backs) == 1, label
            text, boxes = pages[backs[0]]
            assert squash(card.source) in squash(text), (card.label, card.source)
            # the printed line is in smaller type than the answer above it
            start = squash(text).index(squash(card.source))
            index = [i for i, ch in enumerate(text) if not ch.isspace()][start]
            assert boxes[index][3] - boxes[index][1] < 6.5
            # and says what the deck's back says: the grading and each short reference
            answer = squash(answers[(guids[card.note], card.ordinal - 1)])
            for piece in card.source.replace("The article's claim: ", "").split(". "):
                for part in piece.split("; "):
                    assert squash(part.rstrip(".")) in answer, (card.label, part)
        for item in graded:
            verdict = claims[item.claim].verdict
            assert any(verdict in c.source for c in cards if c.note == item.id)
    finally:
        col.close()


def test_a_changed_verdict_rebuilds_the_printed_cards(tmp_path):
    data = starter()
    claim = next(c for c in data["claims"] if any(card.get("claim") == c["id"] for card in data["cards"]))
    out = tmp_path / "out"
    build([write_content(tmp_path / "v1", data)], out, ["cards"], Options())
    before = (out / "nmn-autophagy-cards.pdf").read_bytes()
    claim["verdict"] = next(v for v in ("supported", "unsupported") if v != claim["verdict"])
    build([write_content(tmp_path / "v2", data)], out, ["cards"], Options())
    pdf = pdfium.PdfDocument(str(out / "nmn-autophagy-cards.pdf"))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert (out / "nmn-autophagy-cards.pdf").read_bytes() != before
    assert f"claim: {claim['verdict']}." in " ".join(text.split())
