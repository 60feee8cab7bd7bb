"""Inline trees to each format's markup.  Escaping happens here, once, at the text leaves."""

from __future__ import annotations

import html
import re
from typing import Callable

from generator.inline import Cite, Cloze, Node, Span, Text, parse
from generator.prose import Paragraph, blocks, units

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

# Anki acts on text in a field: [sound:…], [anki:tts]…[/anki:tts] (play buttons), [latex]…,
# [$]…[/$], [$$]…[/$$] (LaTeX images, media references), {{…}} (templates, clozes).  Its
# parsers read the field's HTML source, where a numeric reference is no bracket or brace;
# the card still shows the character.
_ANKI_SYNTAX = str.maketrans({"[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;"})
# MathJax (\(…\), \[…\]) reads the rendered page instead, where "&#92;" is a backslash
# again; but it never joins text across an element, so a backslash alone in a <span>
# cannot open a formula.
_LONE_BACKSLASH = "<span>&#92;</span>"
# In cloze text Anki reads "{{cN::", "::" and "}}" in the raw field; text we
# generate (a citation's author names) must not spell them.
_CLOZE_SYNTAX = str.maketrans({"{": "&#123;", "}": "&#125;", ":": "&#58;"})


# Every character anki_text changes.  Most text has none, and is taken as it is: translate
# with a table of strings looks up every character of the text (a deck's thousands of fields).
_ANKI_CHANGES = re.compile(r"[&<>\"'\[\]{}\\]")


def anki_text(text: str, *, attribute: bool = False) -> str:
    """Text escaped for an Anki field, shown as typed: HTML, media, LaTeX, MathJax and template
    syntax included.  ``attribute``: for a quoted attribute value, where tags cannot go
    (MathJax does not read attributes)."""
    if _ANKI_CHANGES.search(text) is None:
        return text
    escaped = html.escape(text, quote=True).translate(_ANKI_SYNTAX)
    return escaped.replace("\\", "&#92;" if attribute else _LONE_BACKSLASH)


def to_html(text: str | tuple[Node, ...], *, cite: CiteFn | None = None, cloze: bool = False,
            anki: bool = False) -> str:
    """HTML for an Anki field (``anki``: with Anki's own syntax escaped, see ``anki_text``),
    or for a web page.  Cloze deletions stay in Anki's ``{{cN::...}}`` syntax."""
    nodes = parse(text, cloze) if isinstance(text, str) else text
    leaf = anki_text if anki else (lambda t: html.escape(t, quote=True))
    if cloze and cite is not None:
        cite = (lambda outer: lambda ref: outer(ref).translate(_CLOZE_SYNTAX))(cite)

    def keep_cloze(node: Cloze, inner: str) -> str:
        hint = f"::{leaf(node.hint)}" if node.hint is not None else ""
        return f"{{{{c{node.number}::{inner}{hint}}}}}"

    return _walk(nodes, leaf, lambda k, inner: f"<{_HTML_TAGS[k]}>{inner}</{_HTML_TAGS[k]}>", cite,
                 keep_cloze)


def xml_escape(text: str) -> str:
    """``text`` as XML character data or a quoted attribute value."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_RL_TAGS = {"b": "b", "i": "i", "sup": "super", "sub": "sub"}


def to_reportlab(text: str | tuple[Node, ...], *, cite: CiteFn | None = None,
                 cloze: Callable[[Cloze, str], str] | None = None) -> str:
    """ReportLab paragraph XML.  Cloze deletions show their answer unless ``cloze`` says otherwise."""
    nodes = parse(text, cloze is not None) if isinstance(text, str) else text
    return _walk(nodes, xml_escape,
                 lambda k, inner: f"<{_RL_TAGS[k]}>{inner}</{_RL_TAGS[k]}>", cite,
                 cloze or (lambda node, inner: inner))


def to_html_blocks(text: str, *, cite: CiteFn | None = None, cloze: bool = False, bare: bool = False,
                   anki: bool = False) -> str:
    """HTML for multi-paragraph text (generator.prose): ``<p>`` paragraphs, ``<ul>``/``<ol>`` lists.

    ``cloze`` and ``anki`` work as in ``to_html``.  With ``bare``, text that is a
    single paragraph comes back as inline HTML without a ``<p>``, so one-line Anki fields
    stay as simple as before.
    """
    def one(unit: str) -> str:
        return to_html(unit, cite=cite, cloze=cloze, anki=anki)

    found = blocks(text)
    if bare and len(found) == 1 and isinstance(found[0], Paragraph):
        return one(found[0].text)
    out = []
    for block in found:
        if isinstance(block, Paragraph):
            out.append(f"<p>{one(block.text)}</p>")
            continue
        items = "".join(f"<li>{one(item)}</li>" for item in block.items)
        if not block.ordered:
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f'<ol start="{block.start}">{items}</ol>' if block.start != 1 else f"<ol>{items}</ol>")
    return "".join(out)


def reportlab_lines(text: str, render: Callable[[str], str]) -> str:
    """Multi-paragraph text as one ReportLab paragraph (a printed card): paragraphs
    apart by an empty line, each list item on its own line after a bullet or its number.
    ``render`` turns one unit of inline markup into paragraph XML."""
    out = []
    for block in blocks(text):
        if isinstance(block, Paragraph):
            out.append(render(block.text))
        else:
            out.append("<br/>".join(
                (f"{block.start + n}.\u00a0" if block.ordered else "•\u00a0") + render(item)
                for n, item in enumerate(block.items)))
    return "<br/><br/>".join(out)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` (list items each count as one), for one-line renderers."""
    return units(text)
