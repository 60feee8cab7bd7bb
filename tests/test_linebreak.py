"""studygen's line breaker gives ReportLab's lines, field by field, for every paragraph studygen makes."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from hypothesis import example, given, settings, strategies as st
from reportlab.lib.abag import ABag
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph

from generator.render.pdf import fonts, linebreak, para
from generator.render.pdf.text import esc
from tests.test_frags import SPECIAL, STYLES, _paragraph_markup, studygen_markup
from tests.test_grammar_property import WORDS

fonts.register()

# A bullet (list items, takeaways, references) takes its room from the first line.
BULLETS = {"takeaway": "12", "reference": "3.", "item": "\u2022", "glossaryitem": "\u2013"}


def described(value):
    """A value as plain data, with the classes ReportLab gives its words, runs and lines (they say
    how split words are joined again) and the attributes it sets on them."""
    if isinstance(value, ABag):
        return type(value).__name__, {k: described(v) for k, v in value.__dict__.items()}
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [described(v) for v in value], described(getattr(value, "__dict__", {}))
    if isinstance(value, dict):
        return {k: described(v) for k, v in value.items()}
    if isinstance(value, str):
        return type(value).__name__, str(value), described(getattr(value, "__dict__", {}))
    # numbers by repr: 10 and 10.0, or 0.0 and -0.0, are told apart; other objects (colours,
    # an image's reader) by repr without the addresses
    return type(value).__name__, re.sub(r"0x[0-9a-f]+", "0x", repr(value))


def state(p) -> dict:
    """What breaking a paragraph into lines leaves on it."""
    return {name: described(getattr(p, name, None)) for name in
            ("frags", "_width_max", "height", "_splitLongWordCount", "_hyphenations", "text", "style")}


@contextmanager
def reportlabs_breaker():
    saved = paragraph.Paragraph.breakLines
    paragraph.Paragraph.breakLines = linebreak.break_lines.original
    try:
        yield
    finally:
        paragraph.Paragraph.breakLines = saved


def test_paragraphs_are_broken_by_the_faster_breaker():
    assert paragraph.Paragraph.breakLines is linebreak.break_lines
    assert linebreak.break_lines.original.__module__ == "reportlab.platypus.paragraph"


def assert_same_lines(markup: str, style: ParagraphStyle, widths, bullet=None) -> None:
    ours, theirs = para.Paragraph(markup, style, bulletText=bullet), para.Paragraph(markup, style, bulletText=bullet)
    ours_widths, theirs_widths = list(widths), list(widths)
    got = linebreak.break_lines(ours, ours_widths)
    expected = linebreak.break_lines.original(theirs, theirs_widths)
    assert described(got) == described(expected), markup
    assert state(ours) == state(theirs), markup
    assert ours_widths == theirs_widths  # a bullet takes its room from the first line's width


def laid_out(markup: str, style: ParagraphStyle, width: float, height: float, later: float, bullet=None) -> list:
    """Every line of a paragraph as the explainer lays it out: wrapped at a width, cut at a
    page's end, and its parts wrapped again (a part may go to a column of another width)."""
    p = para.Paragraph(markup, style, bulletText=bullet)
    p.wrap(width, 1e6)
    out = [described(p.blPara), state(p)]
    for part in p.split(width, height):
        part.wrap(later, 1e6)
        out += [described(part.blPara), state(part)]
    return out


# Words of text without markup or entities, which makes a paragraph of one run (``&amp;`` alone is a run).
PLAIN = [w for w in WORDS + SPECIAL if not set(w) & set('&<>"')] + [
    "autophagy", "nicotinamide", "mononucleotide", "mono\u00adnucleotide", "long-lived", "and", "of", "cells",
    "supercalifragilistic" * 4, "https://doi.org/10.1038/s41586-023-06000-0"]


SYLLABLES = ["mono", "nucleo", "tide", "auto", "phagy", "NAD", "+", "2", "cell", "sirtu", "in", "-", "x" * 30,
             "super", "cali", "fragi", "listic", "é", "β", "’s", ".", ",", "https://doi.org/10.1/", "a&b"]


@st.composite
def runs(draw):
    """Words made of pieces in different faces and sizes (bold, italic, raised, lowered), soft
    hyphens inside and between the pieces, many words to a line: the lines of runs where each
    run's spaces and fonts count."""
    out = []
    for _ in range(draw(st.integers(10, 80))):
        pieces = []
        for _ in range(draw(st.integers(1, 3))):
            text = draw(st.sampled_from(["", "\u00ad"])).join(draw(st.lists(st.sampled_from(SYLLABLES), min_size=1,
                                                                            max_size=3)))
            tags = draw(st.lists(st.sampled_from(["b", "i", "super", "sub"]), max_size=2, unique=True))
            pieces.append("".join(f"<{t}>" for t in tags) + esc(text) + "".join(f"</{t}>" for t in reversed(tags)))
        out.append(draw(st.sampled_from(["", "\u00ad"])).join(pieces))
    return " ".join(out)


def _markup():
    # Studygen's inline grammar in every renderer's form, made longer so lines break, hyphenate
    # and split across pages; and plain text (one run: lines of words rather than of runs).
    return st.one_of(_paragraph_markup(),
                     st.lists(studygen_markup(), min_size=3, max_size=14).map(" ".join),
                     st.lists(st.sampled_from(PLAIN), min_size=20, max_size=120).map(" ".join),
                     runs())


WIDTHS = st.one_of(st.sampled_from([18.0, 45.0, 120.0, 150.0, 231.5, 300.0, 451.3]),
                   st.floats(4.0, 520.0, allow_nan=False))


@settings(max_examples=100, deadline=None)
@given(_markup(), st.sampled_from(sorted(STYLES)), WIDTHS, WIDTHS, st.booleans())
@example("anti\u00adageing " * 12, "body", 40.0, 120.0, False)
@example(esc("https://doi.org/10.1016/j.cmet.2016.09.013?a=1&b=2 see"), "body", 150.0, 150.0, False)
@example("x" * 90 + " <b>y</b>", "card 13.0", 60.0, 60.0, False)
def test_lines_are_reportlabs(markup, name, first, later, bullet):
    style = STYLES[name]
    assert_same_lines(markup, style, [first, later], BULLETS.get(name) if bullet else None)


@settings(max_examples=40, deadline=None)
@given(_markup(), st.sampled_from(sorted(STYLES)), WIDTHS, st.sampled_from([15.0, 31.0, 60.0, 200.0]), WIDTHS,
       st.booleans())
def test_lines_of_paragraphs_cut_across_pages_are_reportlabs(markup, name, width, height, later, bullet):
    style = STYLES[name]
    bullet = BULLETS.get(name) if bullet else None
    ours = laid_out(markup, style, width, height, later, bullet)
    with reportlabs_breaker():
        assert laid_out(markup, style, width, height, later, bullet) == ours


LONG_URL = esc("https://example.org/" + "averyveryverylongpathsegment" * 4 + "?a=1&b=2")


@pytest.mark.parametrize("markup", [
    "",
    "   ",
    "word",
    "NAD<super>+</super> rises; H<sub>2</sub>O and <b>auto</b><i>phagy</i> in <b><i>mice</i></b>.",
    "mono\u00adnucleotide " * 15,
    "super\u00adcali\u00adfragi\u00adlistic\u00adexpi\u00adali\u00addocious " * 6,
    "<b>mono\u00adnucleo</b>\u00adtide " * 10,
    "supercalifragilistic" * 6 + " and " + "x" * 70,
    "<b>" + "supercalifragilistic" * 6 + "</b> tail",
    f'See <a href="{LONG_URL}" color="#1f4e79">{LONG_URL}</a> &amp; more.',
    f"See {LONG_URL} and {LONG_URL}.",
    "long-lived well-known anti-ageing nicotinamide mononucleotide " * 5,
    "a<br/>b<br/><br/>c <b>d</b><br/>",
    "<br/>",
    '<a name="ref-lee2008"/>Lee (2008). <i>Cell</i> 1. <a href="https://doi.org/10.1/a&amp;b" color="#1f4e79">doi</a>',
    "1.\u00a0item\u00a0with no\u00a0break spaces " * 8,
    " lead and trail ",
    "\u2009thin\u2009spaces\u3000and\u200bzero width " * 5,
    "NMN<super>+</super>" * 30,
    "≥ 2 weeks, α-β, “recycling”, café, O'Brien " * 6,
])
@pytest.mark.parametrize("name", ["body", "takeaway", "cell", "glossary", "h1", "card 7.0", "source"])
@pytest.mark.parametrize("widths", [[30.0, 30.0], [120.0, 134.0], [451.3, 451.3], [2.0, 200.0]])
def test_lines_of_chosen_paragraphs_are_reportlabs(markup, name, widths):
    assert_same_lines(markup, STYLES[name], widths)
    assert_same_lines(markup, STYLES[name], widths, BULLETS.get(name, "9."))


def test_a_paragraph_the_breaker_does_not_reproduce_goes_to_reportlab(monkeypatch, tmp_path):
    from PIL import Image

    Image.new("RGB", (4, 2)).save(tmp_path / "dot.png")
    called = []
    original = linebreak._original
    monkeypatch.setattr(linebreak, "_original", lambda self, width: called.append(self) or original(self, width))
    body = STYLES["body"]
    image = f'text <img src="{tmp_path / "dot.png"}" width="20" height="10" valign="middle"/> and text ' * 9
    cases = [("lead to dots", ParagraphStyle("dots", body, endDots=".")),
             ("right to left", ParagraphStyle("rtl", body, wordWrap="RTL")),
             ("hyphenation by name", ParagraphStyle("named", body, hyphenationLang="en_GB")),
             (image, body)]
    for markup, style in cases:
        assert_same_lines(markup, style, [100.0, 100.0])
    assert len(called) == len(cases)
    # the parts of a split paragraph with an image hold it too
    ours = laid_out(image, body, 100.0, 40.0, 120.0)
    assert len(called) > len(cases) + 1
    with reportlabs_breaker():
        assert laid_out(image, body, 100.0, 40.0, 120.0) == ours


def test_card_faces_are_broken_as_reportlab_breaks_them():
    from generator.render.pdf import cards

    face = "<b>Front</b><br/><br/>NAD<super>+</super> declines " * 4 + "x" * 60
    for size in (7.0, 9.5, 13.0):
        for width in (80.0, 130.0, 260.0):
            assert_same_lines(face, cards._style(size), [width, width])
            assert_same_lines(esc("Lee and Guarente (2008); " * 3), cards._source_line("x", width)[0].style,
                              [width, width])

