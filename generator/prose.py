"""Block structure of multi-paragraph text: paragraphs and simple lists.

Every renderer takes a field's blocks from here, so the explainer, the printed
cards and the Anki fields agree on where a paragraph or a list item starts.

- Paragraphs are separated by blank lines; a line of only whitespace is blank.
  Line breaks inside a paragraph are spaces.
- A line starting with ``- `` is a bulleted list item, one starting with a
  number and a full stop (``1. ``) a numbered one.  A list may follow a
  paragraph line directly, except that a numbered list must then start at 1
  (so a wrapped line such as "2013. The authors..." stays prose).
- A line after an item that starts no item continues it; a blank line ends
  the list.  Lists do not nest, and a numbered list counts up from its first
  number.

Each paragraph and each list item is one unit of inline markup
(generator.inline): a cloze deletion or a span cannot cross a unit's edge.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Union

from generator.record import Record

_BULLET = re.compile(r"[ \t]*-[ \t]+(?=\S)")
_NUMBER = re.compile(r"[ \t]*([0-9]{1,3})\.[ \t]+(?=\S)")


class Paragraph(Record):
    text: str


class ListBlock(Record):
    ordered: bool
    items: tuple[str, ...]
    start: int = 1  # the first item's number, for numbered lists


Block = Union[Paragraph, ListBlock]


def _item(line: str) -> tuple[bool, int, str] | None:
    """(ordered, number, text) when ``line`` starts a list item."""
    m = _BULLET.match(line)
    if m:
        return False, 0, line[m.end():].strip()
    m = _NUMBER.match(line)
    if m:
        return True, int(m.group(1)), line[m.end():].strip()
    return None


@lru_cache(maxsize=65536)  # as many as inline.parse keeps: the checks and the renderers read each field again
def blocks(text: str) -> tuple[Block, ...]:
    """The paragraphs and lists of ``text``, in order; never raises, never drops text."""
    out: list[Block] = []
    para: list[str] = []  # lines of the open paragraph
    items: list[str] = []  # items of the open list
    ordered, start = False, 1

    def close() -> None:
        nonlocal para, items
        if para:
            out.append(Paragraph(" ".join(para)))
        if items:
            out.append(ListBlock(ordered, tuple(items), start))
        para, items = [], []

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            close()
            continue
        item = _item(raw)
        if item is not None and para and item[0] and item[1] != 1:
            item = None  # "2013. The authors" inside a paragraph is prose
        if item is not None:
            kind, number, rest = item
            if items and kind != ordered:
                close()
            if para:
                close()
            if not items:
                ordered, start = kind, number if kind else 1
            items.append(rest)
        elif items:
            items[-1] = f"{items[-1]} {line}"
        else:
            para.append(line)
    close()
    return tuple(out)


def units(text: str, is_prose: bool = True) -> list[str]:
    """The pieces of ``text`` that each hold one run of inline markup: the
    paragraphs and list items of prose, or the whole text of a one-line field."""
    if not is_prose:
        return [text]
    out: list[str] = []
    for block in blocks(text):
        out += [block.text] if isinstance(block, Paragraph) else list(block.items)
    return out


def cloze_numbers(text: str) -> set[int]:
    """The deletion numbers of cloze text, read unit by unit as every renderer reads it."""
    from generator import inline

    found: set[int] = set()
    for unit in units(text):
        found |= inline.cloze_numbers(inline.parse(unit, cloze=True))
    return found
