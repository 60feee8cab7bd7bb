"""The embedded font family: DejaVu Serif, shipped in generator/fonts with its licence.

Glyph coverage lives here: ReportLab prints a character its font lacks as an
empty box (the font's ``.notdef`` glyph) without a word, so every renderer asks
``glyph_problems`` about the exact text it draws in each face before drawing it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics

from generator.errors import Problem, RenderError
from generator.render.pdf import fontdata

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"
FACES = {REGULAR: (0, 0), BOLD: (1, 0), ITALIC: (0, 1), BOLD_ITALIC: (1, 1)}
FACE_NAMES = {REGULAR: "regular", BOLD: "bold", ITALIC: "italic", BOLD_ITALIC: "bold italic"}

Drawn = tuple[str, str]  # (font name, text drawn in it)


@lru_cache(maxsize=None)
def register() -> str:
    """Register the four faces once per process; returns the family name."""
    # Binary streams instead of ASCII85 text: smaller files, less work; every reader handles them.
    rl_config.useA85 = 0
    for name, (bold, italic) in FACES.items():
        pdfmetrics.registerFont(fontdata.load(name, str(FONT_DIR / f"{name}.ttf")))
        addMapping(REGULAR, bold, italic, name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return REGULAR


@lru_cache(maxsize=None)
def _covered(font: str) -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def missing_glyphs(text: str, font: str = REGULAR) -> set[str]:
    """Characters of ``text`` that ``font`` would print as a box.

    Only the plain space needs no glyph check: paragraphs turn every other
    whitespace character into a space before drawing, and single-line text is
    flattened the same way (``text.flat``) before it is drawn.
    """
    covered = _covered(font)
    return {c for c in set(text) if c != " " and ord(c) not in covered}


@lru_cache(maxsize=None)
def _covered_by_all() -> frozenset[str]:
    return frozenset(chr(c) for c in frozenset.intersection(*(_covered(f) for f in FACES)))


@lru_cache(maxsize=None)
def _uncovered() -> re.Pattern:
    """A character that is not white space (re's ``\\s`` is ``str.isspace``) and that some face
    lacks: one search of each face's markup instead of a set of its characters."""
    codes = sorted(map(ord, _covered_by_all()))
    ranges = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[^\\s" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                                         for a, b in ranges) + "]")


def in_paragraph(markup: str, style) -> list[Drawn]:
    """What a ReportLab paragraph of ``markup`` in ``style`` draws in each face, as
    ReportLab itself resolves ``<b>``/``<i>`` against the style's font.

    Empty when every face has a glyph for every character of the markup itself (and it
    names no character by an entity): then nothing it draws can print as a box, which is
    all this is asked about, and the markup need not be parsed."""
    if "&" not in markup and _uncovered().search(markup) is None:
        return []
    from generator.render.pdf.frags import fragments

    register()
    made = fragments(markup, style, clean=False)
    if made is None:
        from reportlab.platypus.paraparser import ParaParser

        _, frags, _ = ParaParser().parse(markup, style)
    else:
        frags = made[1]
    # Paragraphs split words on whitespace and draw single spaces between them.
    return [(f.fontName, " ".join(f.text.split())) for f in frags if getattr(f, "text", "")]


def _describe(c: str) -> str:
    name = unicodedata.name(c, "")
    if not name:
        category = unicodedata.category(c)
        name = {"Co": "private use character, e.g. a Word symbol-font bullet", "Cf": "invisible format character",
                "Cn": "unassigned character"}.get(category, f"category {category}")
    elif unicodedata.category(c) == "Cf":
        name += ", invisible"
    return f"{c!r} (U+{ord(c):04X} {name})" if c.isprintable() else f"U+{ord(c):04X} ({name})"


def glyph_problems(fields: Iterable[tuple[str, Iterable[Drawn]]]) -> list[Problem]:
    """One problem per field that draws a character its face lacks, naming characters and faces."""
    problems = []
    order = list(FACES)
    for where, drawn in fields:
        faces: dict[str, set[str]] = {}  # character -> faces that lack it
        for font, text in drawn:
            for c in missing_glyphs(text, font):
                faces.setdefault(c, set()).add(font)
        by_faces: dict[tuple[str, ...], list[str]] = {}
        for c in sorted(faces):
            by_faces.setdefault(tuple(sorted(faces[c], key=order.index)), []).append(c)
        for lacking, chars in by_faces.items():
            names = " and ".join(FACE_NAMES[f] for f in lacking)
            problems.append(Problem(where, f"the PDF font (DejaVu Serif) cannot print "
                                           f"{', '.join(_describe(c) for c in chars)} in its {names} "
                                           f"face{'s' if len(lacking) > 1 else ''}, used for this text; "
                                           "remove or replace it"))
    return problems


def raise_problems(path: Path, problems: list[Problem]) -> None:
    if problems:
        raise RenderError(f"{path}: " + "; ".join(str(p) for p in problems))
