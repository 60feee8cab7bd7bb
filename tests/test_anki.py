"""The deck, imported with the real Anki engine."""

from __future__ import annotations

import re

from generator.load import load
from tests.conftest import CONTENT, import_apkg


def expected_cards(content) -> int:
    from generator import inline
    total = 0
    for card in content.cards:
        if card.type == "cloze":
            total += len(inline.cloze_numbers(inline.parse(card.text, cloze=True)))
        else:
            total += 2 if card.type == "reverse" else 1
    return total


def strip_tags(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def test_import_counts_and_rendering(built, tmp_path):
    content = load(CONTENT).content
    col, log = import_apkg(tmp_path / "c.anki2", built / "nmn-autophagy.apkg")
    try:
        assert len(log.new) == len(content.cards)
        assert col.note_count() == len(content.cards)
        assert col.card_count() == expected_cards(content)
        names = {col.models.get(col.get_note(n).mid)["name"] for n in col.find_notes("")}
        assert names == {"studygen Basic", "studygen Basic (and reversed card)", "studygen Cloze"}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            question, answer = strip_tags(card.question()).strip(), strip_tags(card.answer()).strip()
            assert question and answer
            assert col.decks.name(card.did) == "Health::NMN and autophagy"
        note = col.get_note(col.find_notes('"Front:NMN is the direct precursor of which coenzyme?"')[0])
        assert "NAD<sup>+</sup>" in note["Back"]
        assert "nmn-autophagy" in note.tags and "evidence::review" in note.tags
        cloze = col.get_note(col.find_notes("tag:evidence::review Text:*c2*")[0])
        answers = [strip_tags(c.answer()) for c in cloze.cards()]
        assert any("model organisms and rodents" in a for a in answers)
    finally:
        col.close()
