"""The diagram's embedded font subsets: the shortcuts taken for speed give exactly the bytes
of fontTools' own subsetter reading the whole font, and the cache on disk gives back
exactly what was made."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from generator import diskcache
from generator.render.pdf import svg_fonts
from generator.render.pdf.svg_fonts import FONT_DIR, make_subset
from tests.conftest import ROOT

TEXTS = ["NAD⁺ → SIRT1 (shown in mice)", "Each arrow shows the strongest kind of study: ﬁ ŉ ΐ 0123456789 αβγ ∑≥"]


def plain_subset(path, text: str) -> bytes:
    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "kern"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@pytest.mark.parametrize("path", sorted(FONT_DIR.glob("*.ttf")), ids=lambda p: p.stem)
@pytest.mark.parametrize("text", TEXTS)
def test_a_subset_has_the_bytes_of_the_plain_subsetter(path, text):
    made = make_subset(path.read_bytes(), text)
    assert made == plain_subset(path, text)
    assert TTFont(io.BytesIO(made))["post"].formatType == 3.0  # no glyph names kept


def _subset_in_a_new_process(text: str) -> tuple[bytes, bool]:
    """A subset made by a fresh process, and whether that process imported fontTools' subsetter."""
    code = ("import sys; from generator.render.pdf.svg_fonts import FONT_DIR, subset_font; "
            f"data = subset_font(FONT_DIR / 'DejaVuSerif.ttf', {text!r}); "
            "sys.stdout.buffer.write(bytes(['fontTools.subset' in sys.modules]) + data)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True).stdout
    return out[1:], bool(out[0])


def test_a_cached_subset_is_the_subset_made_without_fonttools(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYGEN_CACHE_DIR", str(tmp_path))
    text = "a text no other test asks for: qz"
    first, imported = _subset_in_a_new_process(text)
    assert imported and first == plain_subset(FONT_DIR / "DejaVuSerif.ttf", text)
    again, imported = _subset_in_a_new_process(text)
    assert not imported and again == first


def test_a_damaged_entry_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYGEN_CACHE_DIR", str(tmp_path))
    svg_fonts.subset_font.cache_clear()
    path, text = FONT_DIR / "DejaVuSerif-Bold.ttf", "damaged entry"
    made = svg_fonts.subset_font(path, text)
    (entry,) = (tmp_path / "font-subsets").glob("[0-9a-f]*")
    entry.write_bytes(entry.read_bytes()[:-1] + b"?")
    svg_fonts.subset_font.cache_clear()
    assert svg_fonts.subset_font(path, text) == made == plain_subset(path, text)


def test_an_unwritable_cache_only_means_the_work_is_done(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("STUDYGEN_CACHE_DIR", str(blocker))
    svg_fonts.subset_font.cache_clear()
    path = FONT_DIR / "DejaVuSerif-Italic.ttf"
    assert svg_fonts.subset_font(path, "no cache") == plain_subset(path, "no cache")
    assert diskcache.cached("x", b"key", lambda: b"made") == b"made"


def test_a_cached_subset_follows_the_font_bytes_at_its_path(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYGEN_CACHE_DIR", str(tmp_path / "cache"))
    path, text = tmp_path / "DejaVuSerif.ttf", "the same name, other bytes"
    path.write_bytes((FONT_DIR / "DejaVuSerif.ttf").read_bytes())
    svg_fonts.subset_font.cache_clear()
    assert svg_fonts.subset_font(path, text) == plain_subset(FONT_DIR / "DejaVuSerif.ttf", text)
    path.write_bytes((FONT_DIR / "DejaVuSerif-Bold.ttf").read_bytes())
    svg_fonts.subset_font.cache_clear()
    assert svg_fonts.subset_font(path, text) == plain_subset(FONT_DIR / "DejaVuSerif-Bold.ttf", text)
