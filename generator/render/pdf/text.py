"""Text helpers shared by the PDF modules: escaping, flat labels, line wrapping.

No ReportLab imports here except font metrics, so the rules stay easy to test.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.inline import Cite, Node, Span, Text, parse
from generator.render.markup import xml_escape

_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def esc(text: str) -> str:
    """A literal string (a quote, a DOI, an author list) as paragraph XML, quotes included."""
    return xml_escape(text)


def _flat(nodes: tuple[Node, ...], numbers: dict[str, int]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Cite):
            out.append(f"[{numbers[node.ref]}]" if node.ref in numbers else f"[@{node.ref}]")
        else:
            inner = _flat(node.children, numbers)
            if isinstance(node, Span) and node.kind in ("sup", "sub"):
                table = _SUPERSCRIPT if node.kind == "sup" else _SUBSCRIPT
                mapped = inner.translate(table)
                # Only when every character has a raised or lowered form; "NAD^{ox}" stays "NADox".
                if all(a != b for a, b in zip(inner, mapped)):
                    inner = mapped
            out.append(inner)
    return "".join(out)


def flat(text: str, numbers: dict[str, int] | None = None) -> str:
    """Inline markup as one plain string for places without rich text: outline,
    running header, metadata, diagram labels.  ``NAD^{+}`` becomes ``NAD⁺``;
    citations become ``[n]`` when ``numbers`` knows them."""
    return " ".join(_flat(parse(text), numbers or {}).split())


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking by measured width; a word wider than a line is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while stringWidth(word, font, size) > width:
            cut = _fit(word, font, size, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _fit(word: str, font: str, size: float, width: float) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one)."""
    low, high = 1, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(word[:mid], font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def clip(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line, cut with an ellipsis if it is too wide (for running heads)."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # binary search: titles may be very long
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"
