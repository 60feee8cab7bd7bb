"""Make an SVG carry its own fonts, so it looks the same wherever it is shown.

An SVG shown through ``<img>`` (as on Anki cards) is an isolated document: it
cannot use fonts from the page's stylesheet, only installed ones, and phones
have no DejaVu Serif.  The diagram's text is placed with DejaVu's metrics, so
any other font can push a label out of its box.  Each font family the SVG names
that studygen ships is therefore embedded as an ``@font-face`` data URI, cut
down to the characters the SVG uses (a few kB instead of 370 kB per face).
"""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from generator import buildkey, diskcache

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
_FAMILY = re.compile(r"font-family\s*:\s*([^;]+)")
_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def used_text(svg: str) -> dict[str, str]:
    """Font family name -> every character drawn in it."""
    chars: dict[str, set[str]] = {}
    for element in ET.fromstring(svg.encode("utf-8")).iter():
        family = element.get("font-family")
        style = _FAMILY.search(element.get("style", ""))
        if style:
            family = style.group(1)
        if not family:
            continue
        name = family.split(",")[0].strip().strip("'\"")
        chars.setdefault(name, set()).update("".join(element.itertext()))
    return {name: "".join(sorted(found)) for name, found in sorted(chars.items())}


_DROPPED = ("FFTM", "GSUB", "GPOS", "GDEF", "kern")  # FFTM: FontForge's build timestamp


@lru_cache(maxsize=64)  # the same diagram text for every deck of a batch and every rebuild of a watch
def subset_font(path: Path, text: str) -> bytes:
    """The face at ``path`` cut down to the characters of ``text``; kept on disk between
    runs (generator.diskcache), keyed on the font's bytes, the text, studygen's code (this
    module's own too, should the package's hash be pinned) and the libraries' versions."""
    key = "\0".join([buildkey.code(), buildkey.package_file_digest(Path(__file__)).hex(),
                      repr(sorted(buildkey.environment().items())), buildkey.package_file_digest(path).hex(),
                      text]).encode("utf-8")
    return diskcache.cached("font-subsets", key, lambda: make_subset(path.read_bytes(), text))


def make_subset(data: bytes, text: str) -> bytes:
    # Imported only when the cache has no entry: importing fontTools' subsetter costs more
    # than making the subsets.
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]  # keeps the copyright and licence names the font licence asks for
    options.notdef_outline = True
    # Diagram labels are plain horizontal text: no hinting, kerning or shaping tables needed.
    options.hinting = False
    options.layout_features = []
    options.drop_tables += list(_DROPPED)
    # A fresh timestamp would break reproducible output; lazy loading reads only the tables kept.
    font = TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    for tag in _DROPPED:  # the subsetter would read the layout tables before dropping them
        if tag in font:
            del font[tag]
    _without_glyph_names(font)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _without_glyph_names(font) -> None:
    """Number the glyphs instead of decoding the 3,500 names of a 'post' table: the subset
    keeps no names (its 'post' becomes format 3, the same header without them), and the
    subsetter uses names only as keys."""
    data = font.reader["post"] if font.reader is not None and "post" in font.reader else None
    if data is None or data[:4] != b"\x00\x02\x00\x00":
        return
    from fontTools.ttLib import newTable

    font.setGlyphOrder([f"glyph{i:05d}" for i in range(font["maxp"].numGlyphs)])
    post = newTable("post")
    post.decompile(b"\x00\x03\x00\x00" + data[4:32], font)
    font["post"] = post


def embed_fonts(svg: str, font_dir: Path = FONT_DIR) -> str:
    """``svg`` with an ``@font-face`` rule for each shipped font it names; other fonts are left alone."""
    rules = []
    for name, text in used_text(svg).items():
        path = font_dir / f"{name}.ttf"
        if not _NAME.match(name) or not path.is_file():
            continue
        data = base64.b64encode(subset_font(path, text or " ")).decode("ascii")
        rules.append(f"@font-face {{ font-family: {name}; src: url(data:font/ttf;base64,{data}) format(\"truetype\"); }}")
    if not rules:
        return svg
    start = re.search(r"<svg\b[^>]*>", svg)
    if start is None:
        raise ValueError("not an SVG document: no <svg> element")
    style = "<defs><style>" + "\n".join(rules) + "</style></defs>"
    return svg[:start.end()] + style + svg[start.end():]
