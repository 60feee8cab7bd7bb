"""Hyphenation points from pyphen's pattern dictionaries, read lazily.

pyphen parses every pattern of a dictionary when it opens it (14,000 for en_GB,
about 0.1 s of CPU in every process that lays out a paragraph), while an explainer
uses a few hundred of them.  Here the file is only indexed by each pattern's
letters, with whole-text string operations, and a pattern's digits are read the
first time a word needs it.  The algorithm (Liang's) and its answers are pyphen's:
``Hyphenator(path, left, right).iterate(word)`` yields what
``pyphen.Pyphen(filename=path, left=left, right=right).iterate(word)`` does.
A dictionary with non-standard hyphenation ("ff=f" alternatives) is left to pyphen.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from itertools import compress
from pathlib import Path

import pyphen

# The header lines pyphen skips (hunspell's hyph_*.dic format).
_IGNORED = ('%', '#', 'LEFTHYPHENMIN', 'RIGHTHYPHENMIN', 'COMPOUNDLEFTHYPHENMIN', 'COMPOUNDRIGHTHYPHENMIN')
_HEX = re.compile(r'\^{2}([0-9a-f]{2})')
_DIGITS = re.compile(r'\d')
_ASCII = bytes(range(128))


_SHORT_WORDS = 20  # characters of a pointed word (its letters and two dots) looked up without a bound
# Characters a plain pattern list has none of: comments and white space but the line end (every
# character str.split splits at, tests/test_hyphen_dictionary.py checks the list).
_NOT_PLAIN = ('%#\t\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006'
              '\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000')


def _plain_body(text: str) -> str | None:
    """The patterns of a dictionary as one text, one pattern a line, when its lines after the
    header (its first line, then header words, comments and blank lines) need no stripping
    and none is skipped: no white space but line ends, no comment, header word or hex escape.
    None for any other text, which is read line by line."""
    start = text.find('\n') + 1
    while start:
        end = text.find('\n', start)
        line = text[start:end if end >= 0 else len(text)].strip()
        if line and not line.startswith(_IGNORED):
            break
        start = end + 1
    if not start:
        return None
    body = text[start:]
    # One search a character: each is a quick scan in C, where a test of every character is not.
    if any(c in body for c in _NOT_PLAIN) or 'HYPHENMIN' in body or '^^' in body:
        return None
    return body


def _utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == 'utf-8'


def _pattern(line: str) -> tuple[int, tuple[int, ...]] | None:
    """(offset, values) of one pattern line as pyphen stores it; None if it has no break.

    pyphen reads a line as pairs of an optional digit and an optional other character
    (``(\\d?)(\\D?)``, an empty pair last), each pair giving its digit's value or 0.  This
    is that reading one character at a time: the regular expression, a generator and a
    tuple took three to four times as long, for each of the hundreds of patterns a document meets.
    """
    values = []
    digit = None  # a digit waiting for the character of its pair
    for char in line:
        if char.isdecimal():  # \d: Unicode decimal digits
            if digit is not None:
                values.append(digit)  # a digit after a digit ends a pair of its own
            digit = int(char)
        else:
            values.append(0 if digit is None else digit)
            digit = None
    if digit is not None:
        values.append(digit)
    values.append(0)
    end = len(values)
    while end and not values[end - 1]:
        end -= 1
    if not end:
        return None
    start = 0
    while not values[start]:
        start += 1
    return start, tuple(values[start:end])


class Hyphenator:
    def __init__(self, path: Path, left: int = 2, right: int = 2):
        self.left, self.right = left, right
        with open(path, 'rb') as fd:
            encoding = fd.readline().decode()
        if encoding.lower() == 'microsoft-cp1251':
            encoding = 'cp1251'
        text = Path(path).read_text(encoding)
        self._pyphen = None
        if '/' in text:  # maybe non-standard hyphenation: pyphen's own parser handles it
            self._pyphen = pyphen.Pyphen(filename=path, left=left, right=right)
            return
        plain = _plain_body(text)
        if plain is not None:
            # One line a pattern, nothing to strip or skip: split once, and the letters split
            # alike (unless a line is all digits and has none: then line by line, below).
            lines = plain.split()
            joined = plain
        else:
            # pyphen's line filter, with the loops in C rather than in Python (14,000 lines): the
            # lines it skips are the header's, unless one among the patterns says otherwise.
            lines = list(filter(None, map(str.strip, text.split('\n')[1:])))
            head = 0
            while head < len(lines) and lines[head].startswith(_IGNORED):
                head += 1
            del lines[:head]
            joined = '\n'.join(lines)
            if any(f'\n{start}' in joined for start in _IGNORED):
                lines = [line for line in lines if not line.startswith(_IGNORED)]
                joined = '\n'.join(lines)
            if '^^' in text:
                joined = _HEX.sub(lambda m: chr(int(m.group(1), 16)), joined)
                lines = joined.split('\n')
        # A pattern's letters are its line without digits.  ASCII digits are single bytes in the
        # encodings of these dictionaries, and bytes drop them fastest; other digits pyphen reads
        # too (\d), so then the slower way.  In UTF-8 such a digit is among the bytes left once
        # the ASCII ones are dropped, a few hundred instead of the whole text.
        encoded = joined.encode(encoding).translate(None, b'0123456789')
        letters = encoded.decode(encoding)
        if _DIGITS.search(encoded.translate(None, _ASCII).decode(encoding) if _utf8(encoding) else letters):
            letters = _DIGITS.sub('', joined)
        keys = letters.split() if plain is not None else letters.split('\n')
        if len(keys) != len(lines):
            keys = [_DIGITS.sub('', line) for line in lines]
        # Letters -> the pattern's line, replaced by (offset, values) or None once read.
        self._index: dict[str, object] = dict(zip(keys, lines))
        if len(self._index) < len(lines):  # a pattern given twice: the last with a break wins
            twice = {key for key, n in Counter(keys).items() if n > 1}
            for key in twice:
                self._index[key] = None
            for key, line in zip(keys, lines):
                if key in twice and (found := _pattern(line)) is not None:
                    self._index[key] = found
        self._longest = 0  # the longest pattern's letters, once a word as long is met
        self._points: dict[str, list[int]] = {}
        self._cut_sizes: dict[int, tuple] = {}

    def _cuts(self, size: int) -> tuple[tuple[slice, ...], tuple[int, ...]]:
        """The slices of every substring a pattern may match in a pointed word of ``size``
        characters, in Liang's order, and where each starts."""
        cuts = self._cut_sizes.get(size)
        if cuts is None:
            # Substrings longer than every pattern match nothing.  Most words are shorter than the
            # longest pattern, so its length (a pass over every pattern) is found only for a long word.
            longest = size
            if size > _SHORT_WORDS:
                if not self._longest:
                    self._longest = max(map(len, self._index), default=0)
                longest = self._longest
            pairs = [(i, j) for i in range(size - 1) for j in range(i + 1, min(i + longest, size) + 1)]
            cuts = self._cut_sizes[size] = (tuple(slice(i, j) for i, j in pairs), tuple(i for i, _ in pairs))
        return cuts

    def _positions(self, word: str) -> list[int]:
        word = word.lower()
        points = self._points.get(word)
        if points is None:
            index = self._index
            pointed = f'.{word}.'
            size = len(pointed)
            slices, starts = self._cuts(size)
            # Every substring is looked up in one comprehension, and only the few found are
            # read on: a word has dozens of substrings and a handful of patterns.
            get = index.get
            found = [get(pointed[cut]) for cut in slices]
            references = [0] * (size + 1)
            for start, cut, value in compress(zip(starts, slices, found), found):
                if value.__class__ is str:
                    value = index[pointed[cut]] = _pattern(value)
                    if value is None:
                        continue
                offset, values = value
                # pyphen's ``references[part] = map(max, values, references[part])``: a value
                # beyond the pointed word's end is dropped, as the shorter slice drops it.
                at = start + offset
                if at + len(values) > size + 1:
                    values = values[:size + 1 - at] if at <= size else ()
                for v in values:
                    if v > references[at]:
                        references[at] = v
                    at += 1
            points = self._points[word] = [i - 1 for i, reference in enumerate(references) if reference % 2]
        return points

    def iterate(self, word: str):
        """Every (head, tail) split of ``word``, the longest head first (pyphen's ``iterate``)."""
        if self._pyphen is not None:
            yield from self._pyphen.iterate(word)
            return
        right = len(word) - self.right
        for position in reversed(self._positions(word)):
            if self.left <= position <= right:
                yield word[:position], word[position:]


def for_language(lang: str, left: int = 2, right: int = 2) -> Hyphenator:
    return Hyphenator(pyphen.LANGUAGES[pyphen.language_fallback(lang)], left, right)
