"""The cards a learner studies, as Anki would generate them from our notes.

Formats that show single cards (the printable sheets) take them from here,
so they show exactly the deck's set: one card per basic note, two per
reversed note and per glossary term, one per cloze deletion number.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import inline
from generator.model import ClozeCard, Content


@dataclass(frozen=True)
class StudyCard:
    note: str  # the content card id, or "glossary:<term>" for a glossary entry (as `studygen cards` lists it)
    kind: str  # basic | reverse | cloze | term
    ordinal: int  # 1-based, as Anki numbers the cards of a note
    front: str  # inline markup; for cloze cards the whole text
    back: str
    cloze: int | None = None  # the deletion number this card asks for
    extra: str | None = None

    @property
    def label(self) -> str:
        """A short, unique name: the note id, with the card number when a note has several."""
        single = self.kind == "basic"
        return self.note if single else f"{self.note} #{self.ordinal}"


def study_cards(content: Content) -> list[StudyCard]:
    out: list[StudyCard] = []
    for card in content.cards:
        if isinstance(card, ClozeCard):
            numbers = sorted(inline.cloze_numbers(inline.parse(card.text, cloze=True)))
            out += [StudyCard(card.id, "cloze", n, card.text, card.text, cloze=n, extra=card.extra)
                    for n in numbers]
        elif card.type == "reverse":
            out += [StudyCard(card.id, "reverse", 1, card.front, card.back),
                    StudyCard(card.id, "reverse", 2, card.back, card.front)]
        else:
            out.append(StudyCard(card.id, "basic", 1, card.front, card.back))
    for entry in content.glossary:
        note = f"glossary:{entry.term}"
        out += [StudyCard(note, "term", 1, entry.term, entry.definition),
                StudyCard(note, "term", 2, entry.definition, entry.term)]
    return out
