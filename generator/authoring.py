"""What an author still has to do: the loose ends ``studygen check -v`` lists.

None of these stops a build; each is content written but not yet put to use: a
claim no card tests, a reference nothing cites, a glossary term no text uses.
"""

from __future__ import annotations

import re

from generator import inline
from generator.load import texts
from generator.model import Content


def untested_claims(content: Content) -> list[str]:
    """Ids of claims no card names as its ``claim``."""
    tested = {card.claim for card in content.cards}
    return [claim.id for claim in content.claims if claim.id not in tested]


def uncited_references(content: Content) -> list[str]:
    """Ids of references no ``refs`` list and no ``[@id]`` citation in any text names."""
    cited = {ref for table in (content.claims, content.pathway, content.cards) for entry in table
             for ref in entry.refs}
    cited.update(ref for _, text in texts(content) for ref in inline.cites(inline.parse(text, cloze=True)))
    return [ref.id for ref in content.references if ref.id not in cited]


def _forms(term: str) -> list[str]:
    """How a term may appear in prose: "NMN (nicotinamide mononucleotide)" as either name,
    "Sirtuins" also as "sirtuin"."""
    text = " ".join(inline.plain(inline.parse(term)).split()).casefold()
    forms = {text}
    outer = re.match(r"^(.*?)\s*\((.*)\)$", text)
    if outer:
        forms.update(f for f in outer.groups() if f)
    forms.update(f[:-1] for f in list(forms) if len(f) > 3 and f.endswith("s"))
    return sorted(forms)


def unused_terms(content: Content) -> list[str]:
    """Glossary terms that no text but their own entry uses (in any letter case, singular or plural)."""
    # Every text as plain words, read once; each term is looked for in all but its own entry.
    fields = [(where, " ".join(inline.plain(inline.parse(text, cloze=True)).split()).casefold())
              for where, text in texts(content)]
    unused = []
    for i, entry in enumerate(content.glossary):
        own = f"glossary[{i}]"
        prose = " ".join(text for where, text in fields
                         if not where.startswith(own + ".") and not where.startswith(own + "("))
        if not any(re.search(rf"(?<!\w){re.escape(form)}(?:s|es)?(?!\w)", prose) for form in _forms(entry.term)):
            unused.append(entry.term)
    return unused
