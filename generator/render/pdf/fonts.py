"""The embedded font family: DejaVu Serif, shipped in generator/fonts with its licence."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.fonts import addMapping

from generator.errors import RenderError

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"
FACES = {REGULAR: (0, 0), BOLD: (1, 0), ITALIC: (0, 1), BOLD_ITALIC: (1, 1)}


@lru_cache(maxsize=None)
def register() -> str:
    """Register the four faces once per process; returns the family name."""
    # Binary streams instead of ASCII85 text: smaller files, less work; every reader handles them.
    rl_config.useA85 = 0
    for name, (bold, italic) in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
        addMapping(REGULAR, bold, italic, name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return REGULAR


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` the font cannot print (ReportLab would drop them silently)."""
    register()
    covered = pdfmetrics.getFont(REGULAR).face.charToGlyph
    return {c for c in set(text) if c.isprintable() and not c.isspace() and ord(c) not in covered}


def check_glyphs(path: Path, fields: Iterable[tuple[str, str]]) -> None:
    """ReportLab silently drops characters its font lacks; refuse instead, naming each field."""
    problems = []
    for where, text in fields:
        missing = missing_glyphs(text)
        if missing:
            chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(missing))
            problems.append(f"{where}: {chars}")
    if problems:
        raise RenderError(f"{path}: the PDF font (DejaVu Serif) cannot print these characters: "
                          + "; ".join(problems))
