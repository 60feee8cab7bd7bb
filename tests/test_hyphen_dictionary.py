"""The lazily read hyphenation dictionary reads any file as pyphen does: header lines,
comments and blank lines among the patterns, stray whitespace, Windows line ends, hex
escapes, digits that are not ASCII, patterns given twice."""

from __future__ import annotations

import pyphen
import pytest
from hypothesis import given, settings, strategies as st

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
