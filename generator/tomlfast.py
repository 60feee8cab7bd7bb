"""A quick reader for the plain TOML that content files are written in.

``tomllib`` reads every string one character at a time in Python: for a file of
thousands of cards that is most of its time.  This reads the forms content files
use -- ``[table]`` and ``[[table]]`` headers with bare names, ``key = value`` with a
bare key, and as values basic strings without escapes (on one line, or between
triple quotes), literal strings, integers, true and false, dates (YYYY-MM-DD) and
one-line arrays of basic strings -- each a regular expression at a time.  Anything
else, and anything TOML forbids that it might miss (a key or a table defined twice,
control characters), gives None: the caller then asks ``tomllib``, which reads
everything else and words every error.  ``tests/test_speedups.py`` compares the two.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

# Control characters TOML allows nowhere (a tab and a line feed are allowed), and
# carriage returns (a CRLF file is left to tomllib).
_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SKIP = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*")  # blank and comment lines
_HEADER = re.compile(r"[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_-]+)[ \t]*(\]\]?)")
_KEY = re.compile(r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*")
_BASIC = r'"([^"\\\n]*(?:\\[^\n][^"\\\n]*)*)"'  # a basic string on one line, escapes read later
_STRING = re.compile(_BASIC)
_LITERAL = re.compile(r"'([^'\n]*)'")
_SCALAR = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})|(true|false)|(-?(?:0|[1-9][0-9]{0,17}))")
_ITEM = re.compile(_BASIC)
_ARRAY = re.compile(rf'\[[ \t]*((?:{_BASIC}[ \t]*,[ \t]*)*(?:{_BASIC}[ \t]*,?[ \t]*)?)\]')
_ESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))|\\')
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_END = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\n|\Z)")
_LAST = re.compile(r"[ \t]*(?:#[^\n]*)?\Z")  # a last line without a line feed
# Most lines of a content file, with the blank and comment lines before them, each read in one
# match as the steps below would read it: a key and a basic string without escapes or a one-line
# array of such strings, or a table's header.
_PLAIN = r'"[^"\\\n]*"'
_LINE = re.compile(
    _SKIP.pattern + r'[ \t]*(?:([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"([^"\\\n]*)"|'
    rf'\[[ \t]*((?:{_PLAIN}[ \t]*,[ \t]*)*(?:{_PLAIN}[ \t]*,?[ \t]*)?)\])'
    r'|(\[\[?)[ \t]*([A-Za-z0-9_-]+)[ \t]*(\]\]?))[ \t]*(?:#[^\n]*)?(?:\n|\Z)')


class _Unread(Exception):
    """Something this reader does not read: tomllib decides."""


def loads(text: str) -> dict[str, Any] | None:
    """What ``tomllib.loads(text)`` gives, or None where this reader cannot tell."""
    if _BAD.search(text):
        return None
    try:
        return _read(text)
    except _Unread:
        return None


def _read(text: str) -> dict[str, Any]:
    root: dict[str, Any] = {}
    table = root
    arrays: set[str] = set()  # names of [[arrays]] of tables
    pos, end = 0, len(text)
    while True:
        line = _LINE.match(text, pos)
        if line:
            name, string, items, opening, title, closing = line.groups()
            if name is not None:
                if name in table:
                    raise _Unread
                table[name] = string if string is not None else _ITEM.findall(items)
            else:
                table = _table(root, arrays, opening, title, closing)
            pos = line.end()
            continue
        pos = _SKIP.match(text, pos).end()  # then what _LINE does not read
        if pos >= end or _LAST.match(text, pos):
            return root
        header = _HEADER.match(text, pos)
        if header:
            if text.startswith("]", header.end()):
                raise _Unread
            table = _table(root, arrays, *header.groups())
            pos = header.end()
        else:
            key = _KEY.match(text, pos)
            if not key:
                raise _Unread
            name = key.group(1)
            if name in table:
                raise _Unread
            table[name], pos = _value(text, key.end())
        after = _END.match(text, pos)
        if not after:
            raise _Unread
        pos = after.end()


def _table(root: dict[str, Any], arrays: set[str], opening: str, name: str, closing: str) -> dict[str, Any]:
    """The table a ``[name]`` or ``[[name]]`` header opens."""
    if len(opening) != len(closing):
        raise _Unread
    if opening == "[[":
        if name in root and name not in arrays:
            raise _Unread
        arrays.add(name)
        table: dict[str, Any] = {}
        root.setdefault(name, []).append(table)
    else:
        if name in root:
            raise _Unread
        table = root[name] = {}
    return table


def _value(text: str, pos: int) -> tuple[Any, int]:
    if text.startswith('"""', pos):
        start = pos + 3
        close = text.find('"""', start)
        if close < 0 or text.startswith('"', close + 3) or "\\" in text[start:close]:
            raise _Unread  # quotes or escapes at its end, or none: tomllib reads it
        value = text[start:close]
        return (value[1:] if value.startswith("\n") else value), close + 3
    if text.startswith("'''", pos):
        raise _Unread
    m = _STRING.match(text, pos)
    if m:
        return _unescape(m.group(1)), m.end()
    m = _LITERAL.match(text, pos)
    if m:
        return m.group(1), m.end()
    m = _ARRAY.match(text, pos)
    if m:
        return [_unescape(item) for item in _ITEM.findall(m.group(1))], m.end()
    m = _SCALAR.match(text, pos)
    if m:
        year, month, day, boolean, integer = m.groups()
        if boolean:
            return boolean == "true", m.end()
        if integer:
            return int(integer), m.end()
        try:
            return date(int(year), int(month), int(day)), m.end()
        except ValueError:
            raise _Unread from None
    raise _Unread


def _unescape(text: str) -> str:
    return _ESCAPE.sub(_escaped, text) if "\\" in text else text


def _escaped(m: re.Match) -> str:
    short, four, eight = m.groups()
    if short:
        return _ESCAPES[short]
    code = int(four or eight or "-1", 16)
    if not (0 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF):  # not an escape TOML has, or no character
        raise _Unread
    return chr(code)
