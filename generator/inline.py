"""The small inline markup of content text, parsed once into a tree.

Markup: ``**bold**``, ``*italic*``, ``^{sup}``, ``_{sub}``, citations
``[@reference-id]``; in cloze text also ``{{c1::answer}}`` and
``{{c1::answer::hint}}``.  Everything else is literal
text, including unbalanced markers, so renderers only ever see ``Text`` leaves
to escape and a few span kinds to translate.  Multi-paragraph fields are cut
into paragraphs and list items first (generator.prose); each is parsed alone.
What parses but would read otherwise in Anki is reported by generator.textcheck.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Union

from generator.record import Record


class Text(Record):
    text: str

    def __init__(self, text: str) -> None:  # the most made record: tens of thousands at scale
        self.__dict__["text"] = text


class Span(Record):
    kind: str  # "b", "i", "sup" or "sub"
    children: tuple[Node, ...]


class Cloze(Record):
    number: int
    children: tuple[Node, ...]
    hint: str | None = None


class Cite(Record):
    ref: str  # a reference id; renderers show it as a number or a short citation

    def __init__(self, ref: str) -> None:
        self.__dict__["ref"] = ref


Node = Union[Text, Span, Cloze, Cite]

_OPENERS = (("**", "b", "**"), ("*", "i", "*"), ("^{", "sup", "}"), ("_{", "sub", "}"))
_CLOZE = re.compile(r"\{\{c([1-9][0-9]{0,2})::")
_CITE = re.compile(r"\[@([a-z0-9][a-z0-9._-]*)\]")
# Where markup may start (or a span close); text between them is taken in one piece.
_SPECIAL = re.compile(r"[*^_{}\[]")
_OPENING = frozenset("*^_{")
# Deeper nesting is never meant; the cap keeps trees shallow for every renderer.
MAX_DEPTH = 16


class _Frame:
    __slots__ = ("kind", "marker", "closer", "nodes", "number")

    def __init__(self, kind: str, marker: str, closer: str, nodes: list, number: int = 0) -> None:
        self.kind = kind  # span kind, or "cloze"
        self.marker = marker  # the opening text, restored if the frame never closes
        self.closer = closer
        self.nodes = nodes
        self.number = number


def _add_text(nodes: list, text: str) -> None:
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text + text)
    else:
        nodes.append(Text(text))


def _unwind(frame: _Frame, into: list) -> None:
    """An unclosed frame becomes literal: its marker, then its children."""
    _add_text(into, frame.marker)
    for node in frame.nodes:
        if isinstance(node, Text):
            _add_text(into, node.text)
        else:
            into.append(node)


def _closes(s: str, i: int, frame: _Frame, filled: bool) -> bool:
    closer = frame.closer
    if not filled or not s.startswith(closer, i):
        return False
    if closer == "*" and s.startswith("**", i) and not s.startswith("***", i):
        return False
    if closer in ("*", "**"):
        return not s[i - 1].isspace()
    return True


def _opener(s: str, i: int, cloze: bool) -> _Frame | None:
    if cloze:
        m = _CLOZE.match(s, i)
        if m:
            return _Frame("cloze", m.group(0), "}}", [], int(m.group(1)))
    for marker, kind, closer in _OPENERS:
        if s.startswith(marker, i):
            after = i + len(marker)
            if after < len(s) and not (closer in ("*", "**") and s[after].isspace()):
                return _Frame(kind, marker, closer, [])
    return None


def _parse(s: str, cloze: bool) -> list[Node]:
    # A delimiter stack rather than recursion: a closer closes the nearest
    # open frame it matches, and frames opened after it fall back to text.
    root: list[Node] = []
    stack: list[_Frame] = []
    i, n = 0, len(s)
    while i < n:
        nodes = stack[-1].nodes if stack else root
        closing = None
        # Each step below needs its own first character: a closer starts with "*" or "}", a
        # citation with "[", an opener with "*", "^", "_" or "{".
        c = s[i]
        for k in range(len(stack) - 1, -1, -1) if c == "*" or c == "}" else ():
            frame = stack[k]
            # Anki finds a deletion's "{{cN::" and "}}" before any markup: "}}" closes the
            # deletion over markup left open inside it (even markup it starts with), and
            # markup opened before a deletion never closes inside it.
            if _closes(s, i, frame, bool(frame.nodes) or (frame.kind == "cloze" and k < len(stack) - 1)):
                closing = k
                break
            if frame.kind == "cloze":
                break
        if closing is not None:
            while len(stack) > closing + 1:
                frame = stack.pop()
                _unwind(frame, stack[-1].nodes)
            frame = stack.pop()
            parent = stack[-1].nodes if stack else root
            if frame.kind == "cloze":
                parent.append(_split_hint(frame.number, frame.nodes))
            else:
                parent.append(Span(frame.kind, tuple(frame.nodes)))
            i += len(frame.closer)
            continue
        m = _CITE.match(s, i) if c == "[" else None
        if m:
            nodes.append(Cite(m.group(1)))
            i = m.end()
            continue
        frame = _opener(s, i, cloze) if c in _OPENING and len(stack) < MAX_DEPTH else None
        if frame is not None:
            stack.append(frame)
            i += len(frame.marker)
            continue
        special = _SPECIAL.search(s, i + 1)
        j = special.start() if special else n
        _add_text(nodes, s[i:j])
        i = j
    while stack:
        frame = stack.pop()
        _unwind(frame, stack[-1].nodes if stack else root)
    return root


def _split_hint(number: int, children: list[Node]) -> Cloze:
    """Split ``answer::hint`` at the first top-level ``::``, as Anki does; the hint is plain text."""
    for i, node in enumerate(children):
        if isinstance(node, Text) and "::" in node.text:
            head, rest = node.text.split("::", 1)
            body = children[:i] + ([Text(head)] if head else [])
            return Cloze(number, tuple(body), rest + unparse(children[i + 1:]))
    return Cloze(number, tuple(children))


def parse(source: str, cloze: bool = False) -> tuple[Node, ...]:
    """Parse ``source`` into a tree; never raises, never drops text."""
    return _parsed(source, bool(cloze))


# Keyed on the arguments as given, a cache would hold parse(s), parse(s, False) and
# parse(s, cloze=False) apart: the checks and renderers call it all three ways for the same
# text (14,000 texts parsed again at 5,000 cards).  Behind ``parse`` it sees one form.
@lru_cache(maxsize=65536)
def _parsed(source: str, cloze: bool) -> tuple[Node, ...]:
    if "*" not in source and "{" not in source:
        return _cited(source)
    return tuple(_parse(source, cloze))


def _cited(source: str) -> tuple[Node, ...]:
    """What ``_parse`` makes of text without "*" and "{": every span and deletion opens with
    one of them, so most text holds only text and citations, found here in one pass."""
    if "[" not in source:
        return (Text(source),) if source else ()
    nodes: list[Node] = []
    i = 0
    for m in _CITE.finditer(source):
        if m.start() > i:
            nodes.append(Text(source[i:m.start()]))
        nodes.append(Cite(m.group(1)))
        i = m.end()
    if i < len(source):
        nodes.append(Text(source[i:]))
    return tuple(nodes)


parse.cache_info = _parsed.cache_info  # type: ignore[attr-defined]
parse.cache_clear = _parsed.cache_clear  # type: ignore[attr-defined]


def plain(nodes: tuple[Node, ...] | list[Node]) -> str:
    """The visible text of a tree, without markup (cloze answers shown)."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Cite):
            out.append(f"[@{node.ref}]")
        else:
            out.append(plain(node.children))
    return "".join(out)


_MARKERS = {"b": ("**", "**"), "i": ("*", "*"), "sup": ("^{", "}"), "sub": ("_{", "}")}


def unparse(nodes: tuple[Node, ...] | list[Node]) -> str:
    """The markup that parses to ``nodes``: ``unparse(parse(s)) == s``."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Span):
            left, right = _MARKERS[node.kind]
            out.append(left + unparse(node.children) + right)
        elif isinstance(node, Cite):
            out.append(f"[@{node.ref}]")
        else:
            hint = f"::{node.hint}" if node.hint is not None else ""
            out.append(f"{{{{c{node.number}::{unparse(node.children)}{hint}}}}}")
    return "".join(out)


def cloze_numbers(nodes: tuple[Node, ...] | list[Node]) -> set[int]:
    """Every cloze number in a tree."""
    found: set[int] = set()
    for node in nodes:
        if isinstance(node, Cloze):
            found.add(node.number)
            found |= cloze_numbers(node.children)
        elif isinstance(node, Span):
            found |= cloze_numbers(node.children)
    return found


def cited(source: str) -> list[str]:
    """``cites(parse(source))``, without making the tree: outside cloze text no markup
    takes in or breaks up a citation, so every ``[@id]`` of the text is one."""
    return _CITE.findall(source)


def cites(nodes: tuple[Node, ...] | list[Node]) -> list[str]:
    """Reference ids cited in a tree, in order."""
    found: list[str] = []
    for node in nodes:
        if isinstance(node, Cite):
            found.append(node.ref)
        elif not isinstance(node, Text):
            found += cites(node.children)
    return found
