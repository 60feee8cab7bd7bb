"""Where one build's time goes: each phase of a build of one content file, timed in one process.

Run as ``python bench/phases.py CONTENT.toml``; prints a JSON object of
phase name -> seconds, in the order a build runs them.  Imports are timed
where a build first pays for them, so the figures add up to the build.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

times: dict[str, float] = {}


def phase(name: str, action):
    start = time.perf_counter()
    result = action()
    times[name] = time.perf_counter() - start
    return result


def main(content: Path) -> None:
    phase("import loader (content model)", lambda: importlib.import_module("generator.load"))
    from generator.load import load
    from generator.render import Options

    doc = phase("load and check the content", lambda: load(content))
    options = Options()
    pdf = phase("pdf: import (ReportLab)", lambda: importlib.import_module("generator.render.pdf.explainer"))
    fonts = importlib.import_module("generator.render.pdf.fonts")
    phase("pdf: register the fonts", fonts.register)
    phase("pdf: render the explainer", lambda: pdf.render(doc, options))
    cards = phase("cards: import", lambda: importlib.import_module("generator.render.pdf.cards"))
    phase("cards: render the card sheets", lambda: cards.render(doc, options))
    anki = phase("anki: import (genanki)", lambda: importlib.import_module("generator.render.anki"))
    phase("anki: render the deck", lambda: anki.render(doc, options))
    phase("anki: diagram media again (font subsets cached)", lambda: anki.media(doc))
    phase("reference: ReportLab alone sets the explainer's words (plain paragraphs, one pass)",
          lambda: _plain_explainer(doc))
    print(json.dumps(times))


def _plain_explainer(doc) -> None:
    """Not part of a build: about the least ReportLab takes to set the explainer's words, as
    plain paragraphs in one style and one pass, without hyphenation, tables, contents or
    diagram (with the fonts and their widths already loaded by the phases before).  The
    explainer's own phase is read against it."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from generator.load import texts
    from generator.render.pdf.fonts import REGULAR
    from generator.render.pdf.text import esc, flat

    words = [flat(text) for where, text in texts(doc.content) if not where.startswith("cards")]
    style = ParagraphStyle("plain", fontName=REGULAR, fontSize=10, leading=14)
    SimpleDocTemplate(io.BytesIO(), pagesize=A4, invariant=1).build([Paragraph(esc(w), style) for w in words])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
