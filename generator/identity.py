"""What each Anki note's identity (GUID) derives from, and the rule that keeps them apart.

A note's GUID is ``genanki.guid_for(*parts)``: the parts joined by ``"__"``, then
hashed.  A card's parts are (slug, id); a glossary term's are (slug, "glossary",
term).  A slug holds no ``_``, so it always ends at the first ``"__"``, and two
articles never meet; card ids are unique, terms are unique.  The one way a card
and a term could share a GUID is a card id ``"glossary__" + term``, so such ids
are refused.  That keeps every identity distinct by construction while every
GUID already released stays as it was (a changed GUID would strand the review
history of every learner who studies the note).
"""

from __future__ import annotations

GLOSSARY = "glossary"
RESERVED_PREFIX = GLOSSARY + "__"


def card_parts(slug: str, card_id: str) -> tuple[str, ...]:
    return (slug, card_id)


def term_parts(slug: str, term: str) -> tuple[str, ...]:
    return (slug, GLOSSARY, term)


def card_id_problem(card_id: str) -> str | None:
    """Why a card id cannot be used, or None."""
    if card_id.startswith(RESERVED_PREFIX):
        return (f"card ids may not start with {RESERVED_PREFIX!r}: Anki would give the card the same "
                f"identity as a glossary term {card_id[len(RESERVED_PREFIX):]!r}; choose another id")
    return None
