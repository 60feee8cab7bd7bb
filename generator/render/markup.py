"""Inline trees to each format's markup.  Escaping happens here, once, at the text leaves."""

from __future__ import annotations

import html
from typing import Callable
from xml.sax.saxutils import escape as xml_escape

from generator.inline import Cite, Cloze, Node, Span, Text, parse

CiteFn = Callable[[str], str]  # reference id -> already-escaped markup


def _walk(nodes, leaf: Callable[[str], str], span: Callable[[str, str], str],
          cite: CiteFn | None, cloze: Callable[[Cloze, str], str]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(leaf(node.text))
        elif isinstance(node, Span):
            out.append(span(node.kind, _walk(node.children, leaf, span, cite, cloze)))
        elif isinstance(node, Cite):
            out.append(cite(node.ref) if cite else leaf(f"[@{node.ref}]"))
        else:
            out.append(cloze(node, _walk(node.children, leaf, span, cite, cloze)))
    return "".join(out)


_HTML_TAGS = {"b": "b", "i": "i", "sup": "sup", "sub": "sub"}


def to_html(text: str | tuple[Node, ...], *, cite: CiteFn | None = None, cloze: bool = False) -> str:
    """HTML for an Anki field.  Cloze deletions stay in Anki's ``{{cN::...}}`` syntax."""
    nodes = parse(text, cloze) if isinstance(text, str) else text

    def keep_cloze(node: Cloze, inner: str) -> str:
        hint = f"::{html.escape(node.hint)}" if node.hint is not None else ""
        return f"{{{{c{node.number}::{inner}{hint}}}}}"

    return _walk(nodes, lambda t: html.escape(t, quote=True),
                 lambda k, inner: f"<{_HTML_TAGS[k]}>{inner}</{_HTML_TAGS[k]}>", cite, keep_cloze)


_RL_TAGS = {"b": "b", "i": "i", "sup": "super", "sub": "sub"}


def to_reportlab(text: str | tuple[Node, ...], *, cite: CiteFn | None = None,
                 cloze: Callable[[Cloze, str], str] | None = None) -> str:
    """ReportLab paragraph XML.  Cloze deletions show their answer unless ``cloze`` says otherwise."""
    nodes = parse(text, cloze is not None) if isinstance(text, str) else text
    return _walk(nodes, lambda t: xml_escape(t, {'"': "&quot;"}),
                 lambda k, inner: f"<{_RL_TAGS[k]}>{inner}</{_RL_TAGS[k]}>", cite,
                 cloze or (lambda node, inner: inner))


def paragraphs(text: str) -> list[str]:
    """Split body text on blank lines; single newlines inside a paragraph are spaces."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [b.strip() for b in blocks if b.strip()]
