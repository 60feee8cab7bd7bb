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
    print(json.dumps(times))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
