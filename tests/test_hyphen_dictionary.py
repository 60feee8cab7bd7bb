"""The lazily read hyphenation dictionary reads any file as pyphen does: header lines,
comments and blank lines among the patterns, stray whitespace, Windows line ends, hex
escapes, digits that are not ASCII, patterns given twice."""

from __future__ import annotations

import pyphen
import pytest
from hypothesis import example, given, settings, strategies as st

from generator.render.pdf import hyphen

WORDS = ["hyphenation", "autophagy", "mononucleotide", "abbreviation", "äbcdé", "ab", "sirtuin", "éclair", "ﬁnal"]
PATTERNS = [".ab4i", "a1b", "2bb", "bre4v", "1ti", "ti2o", "o2n", "n1a", "ph2", "a2g", "é1c", "1cl", "ﬁ1n",
            "nu3cl", "1ph", "hy3ph", "on1a", "ir2t", "s2i", "1tu", "éc3l", "a1bc"]
EXTRA = ["", "   ", "% a comment", "# another", "LEFTHYPHENMIN 2", "RIGHTHYPHENMIN 3",
         "COMPOUNDLEFTHYPHENMIN 2", "COMPOUNDRIGHTHYPHENMIN 3", " a3b ", "\tb1r", "x^^e9y1z",
         "a1b", "a0b", "t\u0663i", "ab\u0665c"]


def _same(tmp_path, lines: list[str], encoding: str = "UTF-8", newline: str = "\n") -> None:
    path = tmp_path / "hyph_xx.dic"
    path.write_bytes((newline.join([encoding] + lines) + newline).encode(encoding))
    ours = hyphen.Hyphenator(path, left=1, right=1)
    theirs = pyphen.Pyphen(filename=str(path), left=1, right=1)
    for word in WORDS + ["xy" + "z", "t\u0663ig", "abc"]:
        assert list(ours.iterate(word)) == list(theirs.iterate(word)), (word, lines)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PATTERNS + EXTRA), max_size=15), st.lists(st.sampled_from(PATTERNS + EXTRA), max_size=15),
       st.sampled_from(["\n", "\r\n"]))
def test_any_mix_of_lines_reads_as_pyphen_reads_it(tmp_path_factory, before, after, newline):
    # One pattern at least: pyphen cannot read a dictionary without one.
    _same(tmp_path_factory.mktemp("dic"), before + ["o2n"] + after, newline=newline)


@pytest.mark.parametrize("encoding", ["UTF-8", "ISO8859-1", "KOI8-R"])
def test_header_comments_and_patterns_read_as_pyphen_reads_them(tmp_path, encoding):
    lines = ["LEFTHYPHENMIN 2", "% header", "", *PATTERNS, "# a comment among the patterns", "1ab", ""]
    if encoding != "UTF-8":
        lines = [line for line in lines if all(ord(c) < 128 for c in line)]
    _same(tmp_path, lines, encoding)


def _pattern_by_pyphens_expression(line: str):
    """What ``hyphen._pattern`` computed first, with pyphen's own regular expression."""
    import re

    values = tuple(int(digit or "0") for digit, _ in re.findall(r"(\d?)(\D?)", line))
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


# Letters, the word ends' dot, ASCII digits (0 included), an Arabic-Indic digit (\d, not ASCII)
# and a superscript two (a digit to str.isdigit, but not \d).
_PATTERN_CHARS = "ab.é0123\u0663\u00b2"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_PATTERN_CHARS, max_size=10))
def test_a_pattern_line_reads_as_pyphens_expression_reads_it(line):
    assert hyphen._pattern(line) == _pattern_by_pyphens_expression(line)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=_PATTERN_CHARS.replace("\u00b2", ""), min_size=1, max_size=7), min_size=1, max_size=25),
       st.lists(st.text(alphabet="abé", min_size=1, max_size=9), min_size=1, max_size=8))
@example(["a00012", "b.12", "a12b", "é1"], ["ba", "ab", "aba", "é"])  # values beyond the word's end
@example(["12", "a1b", "3"], ["ab", "bab"])  # lines of digits only: patterns without letters
@example(["a1b", "ab2ab3ab", "b" * 12 + "1b"], ["ab" * 13, "b" * 30])  # words longer than a bound is kept for
def test_any_patterns_hyphenate_any_word_as_pyphen_does(tmp_path_factory, patterns, words):
    # Digits side by side, zeros, many digits after a pattern's last letter, patterns that reach
    # past a word's end: every pattern a word meets is combined as pyphen combines it.
    patterns = patterns + ["o2n"]  # pyphen cannot read a dictionary without one break
    path = tmp_path_factory.mktemp("dic") / "hyph_xx.dic"
    path.write_bytes(("\n".join(["UTF-8"] + patterns) + "\n").encode())
    ours = hyphen.Hyphenator(path, left=1, right=1)
    theirs = pyphen.Pyphen(filename=str(path), left=1, right=1)
    for word in words:
        assert list(ours.iterate(word)) == list(theirs.iterate(word)), (word, patterns)


@pytest.mark.parametrize("lang", ["en_GB", "en_US", "nl_NL", "fr", "ru_RU", "el_GR", "it_IT", "pl_PL"])
def test_a_plain_dictionary_split_at_once_reads_as_line_by_line(monkeypatch, lang):
    # Dictionaries of one pattern a line are split in one go; every other text line by line.
    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    at_once = hyphen.Hyphenator(path, left=2, right=3)
    monkeypatch.setattr(hyphen, "_plain_body", lambda text: None)
    line_by_line = hyphen.Hyphenator(path, left=2, right=3)
    assert at_once._pyphen is line_by_line._pyphen is None
    assert at_once._index == line_by_line._index


def test_the_shipped_dictionary_is_split_at_once():
    # Else the quick way above would go untested.
    path = pyphen.LANGUAGES[pyphen.language_fallback("en_GB")]
    with open(path, "rb") as fd:
        encoding = fd.readline().decode()
    assert hyphen._plain_body(open(path, encoding=encoding).read()) is not None


def test_the_plain_dictionary_check_knows_every_white_space_character():
    import sys

    spaces = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
    assert spaces - {"\n"} == set(hyphen._NOT_PLAIN) - {"%", "#"}
