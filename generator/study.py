"""The cards a learner studies, as Anki would generate them from our notes.

Formats that show single cards (the printable sheets) take them from here,
so they show exactly the deck's set: one card per basic note, two per
reversed note, one per cloze deletion number, and one per glossary term
(two when the entry opts in with ``reverse = true``).
"""

from __future__ import annotations

from generator import inline, prose
from generator.memo import per_content
from generator.model import BasicCard, ClozeCard, Content
from generator.record import Record

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


class StudyCard(Record):
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


def source_line(content: Content, card: BasicCard | ClozeCard, lookups: tuple | None = None) -> str:
    """The back's source in one short line: the grading of the article's claim and the
    short references, as the deck's back shows them; the section when there is neither.
    ``lookups``: ``_lookups(content)``, made once for many cards."""
    claims, shorts, headings = lookups or _lookups(content)
    parts = []
    refs = list(card.refs)
    if card.claim:
        claim = claims[card.claim]
        parts.append(f"The article's claim: {claim.verdict}. "
                     f"Evidence: {EVIDENCE_WORDS.get(claim.evidence, claim.evidence)}.")
        refs += [r for r in claim.refs if r not in refs]
    if refs:
        parts.append("; ".join(shorts[r] for r in dict.fromkeys(refs) if r in shorts))
    if not parts and card.section:
        parts.append(f"From “{inline.plain(inline.parse(headings[card.section]))}”")
    return " ".join(parts)


def _lookups(content: Content) -> tuple[dict, dict, dict]:
    """What each card's source line looks up, made once (each card looked through every claim,
    reference and section): claims by id, short citations by reference id, section headings by id."""
    claims: dict = {}
    headings: dict = {}
    for claim in content.claims:
        claims.setdefault(claim.id, claim)  # the first of an id, as a search from the start finds it
    for section in content.sections:
        headings.setdefault(section.id, section.heading)
    return claims, {r.id: r.short for r in content.references}, headings


def study_cards(content: Content) -> list[StudyCard]:
    # The card-writing checks, the card sheets' check and render, and build's summary all ask
    # for the cards of the same content: they are made once.
    return list(_study_cards(content))


def card_count(content: Content) -> int:
    """``len(study_cards(content))``, without making the cards: a build's summary counts the
    cards of every content it built, whose cards are no longer remembered (``per_content``)."""
    count = 0
    for card in content.cards:
        if isinstance(card, ClozeCard):
            count += len(prose.cloze_numbers(card.text))
        else:
            count += 2 if card.type == "reverse" else 1
    return count + sum(2 if entry.reverse else 1 for entry in content.glossary)


@per_content
def _study_cards(content: Content) -> list[StudyCard]:
    out: list[StudyCard] = []
    lookups = _lookups(content)
    for card in content.cards:
        source = source_line(content, card, lookups)
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
