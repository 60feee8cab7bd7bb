"""Repeated work in one build process, counted rather than timed.

Run as ``python bench/counts.py CONTENT.toml...``: builds every format of
the files in this process (as ``studygen build -j 1`` does) and prints a
JSON object of counts: font files parsed, TOML files parsed, inline markup
parsed, explainer layout passes, paragraph line-breaking runs, paragraph markup
read by ReportLab's XML parser.  Counting wraps the library functions before
studygen imports them; the outputs are built for real and thrown away.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

counts: Counter[str] = Counter()


def count(owner, name: str, key: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        counts[key] += 1
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def main(paths: list[Path]) -> None:
    import tomllib

    import fontTools.ttLib
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import doctemplate, paragraph, paraparser

    from generator import inline

    count(tomllib, "loads", "TOML documents parsed")
    count(ttfonts.TTFont, "__init__", "ReportLab TrueType fonts loaded")
    count(fontTools.ttLib.TTFont, "__init__", "fontTools fonts loaded (SVG font subsetting)")
    count(doctemplate.BaseDocTemplate, "build", "explainer layout passes")
    count(paragraph.Paragraph, "__init__", "paragraphs made")
    import generator.render.pdf.para  # noqa: F401  (puts studygen's line breaker in place: counted below)

    count(paragraph.Paragraph, "breakLines", "paragraph line-breaking runs")
    count(paraparser.ParaParser, "parse", "paragraph markup read by ReportLab's XML parser")
    count(inline, "_parse", "inline markup parsed (distinct texts, after the cache)")
    parse = inline.parse

    @functools.wraps(parse)
    def counted_parse(*args, **kwargs):
        counts["inline markup parse calls"] += 1
        return parse(*args, **kwargs)

    counted_parse.cache_info = parse.cache_info
    inline.parse = counted_parse  # before the renderers bind it by name

    from generator.build import build
    from generator.render import FORMATS, Options

    with tempfile.TemporaryDirectory() as out:
        build(paths, Path(out), list(FORMATS), Options(), workers=1)
    print(json.dumps(dict(sorted(counts.items()))))


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]])
