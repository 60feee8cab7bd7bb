"""The deck's cards as Anki shows them: its templates filled with each note's fields.

Only the template language the deck's note types use is implemented:
``{{Field}}``, ``{{#Field}}…{{/Field}}``, ``{{^Field}}…{{/Field}}``,
``{{FrontSide}}`` and ``{{cloze:Field}}``, with Anki's rules for which cards a
note makes (a card whose front renders empty is not made; a cloze note makes one
card per deletion number).  The ``anki`` library renders cards only inside a
collection, so it cannot do this at build time; the tests compare every card
rendered here with the one Anki renders after importing the deck.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.record import Record
from generator.render.anki import MODELS, NoteSpec

_TAG = re.compile(r"\{\{([#^/]?)([^{}]*?)\}\}")
# Anki treats a field as empty when it holds only whitespace, line breaks or empty divs.
_EMPTY = re.compile(r"(?:\s|&nbsp;|<br\s*/?>|</?div>)*", re.IGNORECASE)
# Our cloze fields hold no braces but the deletions' own (the deck escapes every other brace).
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)


class CardView(Record):
    note: NoteSpec
    ordinal: int  # 1-based, as Anki numbers a note's cards
    template: str  # the card type's name
    question: str  # HTML, without the stylesheet Anki puts before it
    answer: str


def attribute(text: str) -> str:
    """An attribute value encoded as Anki encodes a cloze's answer (``data-cloze``)."""
    named = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    return "".join(c if (c.isascii() and c.isalnum()) or ord(c) > 0xFF else named.get(c, f"&#x{ord(c):X};")
                   for c in text)


def is_empty(value: str) -> bool:
    return _EMPTY.fullmatch(value) is not None


def _cloze(text: str, ordinal: int, answer: bool) -> str:
    def one(match: re.Match) -> str:
        number = int(match.group(1))
        body, _, hint = match.group(2).partition("::")
        if number != ordinal:
            return f'<span class="cloze-inactive" data-ordinal="{number}">{body}</span>'
        if answer:
            return f'<span class="cloze" data-ordinal="{number}">{body}</span>'
        shown = f"[{hint}]" if hint else "[...]"
        return (f'<span class="cloze" data-cloze="{attribute(body)}" '
                f'data-ordinal="{number}">{shown}</span>')

    return _CLOZE.sub(one, text)


def render(template: str, fields: dict[str, str], *, front_side: str = "", ordinal: int = 1,
           answer: bool = False) -> str:
    """``template`` filled with ``fields``; an unknown field renders empty, as in Anki."""
    tags, tail = _tags(template)
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open sections: (field, shown)
    hidden = 0  # open sections not shown
    for before, kind, name in tags:
        shown = not hidden
        if shown:
            out.append(before)
        if kind in "#^" and kind:
            present = not is_empty(fields.get(name, ""))
            show = present if kind == "#" else not present
            stack.append((name, show))
            hidden += not show
        elif kind == "/":
            if not stack or stack[-1][0] != name:
                raise ValueError(f"template section {name!r} closed but not open")
            hidden -= not stack.pop()[1]
        elif not shown:
            continue
        elif name == "FrontSide":
            out.append(front_side)
        elif name.startswith("cloze:"):
            out.append(_cloze(fields.get(name[len("cloze:"):], ""), ordinal, answer))
        else:
            out.append(fields.get(name, ""))
    if stack:
        raise ValueError(f"template section {stack[-1][0]!r} not closed")
    out.append(tail)
    return "".join(out)


@lru_cache(maxsize=64)  # a deck has a few templates, each filled for thousands of cards
def _tags(template: str) -> tuple[tuple[tuple[str, str, str], ...], str]:
    """Each tag of ``template`` as (text before it, kind, field name), and the text after the last."""
    tags = []
    pos = 0
    for match in _TAG.finditer(template):
        tags.append((template[pos:match.start()], match.group(1), match.group(2).strip()))
        pos = match.end()
    return tuple(tags), template[pos:]


def cards(note: NoteSpec) -> list[CardView]:
    """The cards Anki makes from ``note``, front and back."""
    model = MODELS[note.kind]
    fields = {f["name"]: value for f, value in zip(model.fields, note.fields)}
    views = []
    if note.kind == "cloze":
        text = fields[model.fields[0]["name"]]
        template = model.templates[0]
        for ordinal in sorted({int(n) for n in re.findall(r"\{\{c(\d+)::", text)}):
            question = render(template["qfmt"], fields, ordinal=ordinal)
            views.append(CardView(note, ordinal, template["name"], question,
                                  render(template["afmt"], fields, front_side=question, ordinal=ordinal,
                                         answer=True)))
        return views
    for ordinal, template in enumerate(model.templates, 1):
        question = render(template["qfmt"], fields)
        if is_empty(question):
            continue  # Anki makes no card whose front is empty
        views.append(CardView(note, ordinal, template["name"], question,
                              render(template["afmt"], fields, front_side=question, answer=True)))
    return views
