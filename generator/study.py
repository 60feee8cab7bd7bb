"""The cards a learner studies, as Anki would generate them from our notes.

Formats that show single cards (the printable sheets) take them from here,
so they show exactly the deck's set: one card per basic note, two per
reversed note, one per cloze deletion number, and one per glossary term
(two when the entry opts in with ``reverse = true``).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import inline, prose
from generator.memo import per_content
from generator.model import BasicCard, ClozeCard, Content

# How the back of a card names a claim's evidence level (the deck and the printed cards).
EVIDENCE_WORDS = {
    "human-trial": "human trials",
    "human-observational": "human observational studies",
    "animal": "animal studies",
    "cell": "cell studies",
    "review": "review articles",
    "none": "none found",
}

GLOSSARY_SOURCE = "Glossary"


@dataclass(frozen=True)
class StudyCard:
    note: str  # the content card id, or "glossary:<term>" for a glossary entry (as `studygen cards` lists it)
    kind: str  # basic | reverse | cloze | term
    ordinal: int  # 1-based, as Anki numbers the cards of a note
    front: str  # inline markup; for cloze cards the whole text
    back: str
    cloze: int | None = None  # the deletion number this card asks for
    extra: str | None = None
    source: str = ""  # plain text: the short source line of the back (grading, references)
    single: bool = False  # the note gives this one card only

    @property
    def label(self) -> str:
        """A short, unique name: the note id, with the card number when a note has several."""
        return self.note if self.single else f"{self.note} #{self.ordinal}"


def source_line(content: Content, card: BasicCard | ClozeCard) -> str:
    """The back's source in one short line: the grading of the article's claim and the
    short references, as the deck's back shows them; the section when there is neither."""
    parts = []
    refs = list(card.refs)
    if card.claim:
        claim = next(c for c in content.claims if c.id == card.claim)
        parts.append(f"The article's claim: {claim.verdict}. "
                     f"Evidence: {EVIDENCE_WORDS.get(claim.evidence, claim.evidence)}.")
        refs += [r for r in claim.refs if r not in refs]
    by_id = {r.id: r for r in content.references}
    if refs:
        parts.append("; ".join(by_id[r].short for r in dict.fromkeys(refs) if r in by_id))
    if not parts and card.section:
        heading = next(s.heading for s in content.sections if s.id == card.section)
        parts.append(f"From “{inline.plain(inline.parse(heading))}”")
    return " ".join(parts)


def study_cards(content: Content) -> list[StudyCard]:
    # The card-writing checks, the card sheets' check and render, and build's summary all ask
    # for the cards of the same content: they are made once.
    return list(_study_cards(content))


@per_content
def _study_cards(content: Content) -> list[StudyCard]:
    out: list[StudyCard] = []
    for card in content.cards:
        source = source_line(content, card)
        if isinstance(card, ClozeCard):
            numbers = sorted(prose.cloze_numbers(card.text))
            out += [StudyCard(card.id, "cloze", n, card.text, card.text, cloze=n, extra=card.extra,
                              source=source) for n in numbers]
        elif card.type == "reverse":
            out += [StudyCard(card.id, "reverse", 1, card.front, card.back, source=source),
                    StudyCard(card.id, "reverse", 2, card.back, card.front, source=source)]
        else:
            out.append(StudyCard(card.id, "basic", 1, card.front, card.back, source=source, single=True))
    for entry in content.glossary:
        note = f"glossary:{entry.term}"
        out.append(StudyCard(note, "term", 1, entry.term, entry.definition, source=GLOSSARY_SOURCE,
                             single=not entry.reverse))
        if entry.reverse:
            out.append(StudyCard(note, "term", 2, entry.definition, entry.term, source=GLOSSARY_SOURCE))
    return out
