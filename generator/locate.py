"""Line numbers for key paths of a TOML content file.

``tomllib`` gives values without positions, so this scans the text for the
forms content files use: ``[table]`` and ``[[table]]`` headers and
``key = value`` lines.  A line is reported only when the scan agrees with the
parsed data (as many ``[[cards]]`` headers as cards, the key present in that
entry); anything written another way (dotted keys, inline tables, sub-tables)
gets no line, because no line is better than a wrong one.
"""

from __future__ import annotations

import re
from typing import Any

_BARE = r"[A-Za-z0-9_-]+"
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_BARE})\s*(\]\]?)\s*(?:#.*)?$")
_KEY = re.compile(rf"\s*({_BARE})\s*=")
# "cards[3](id=x).refs[0]" -> table "cards", index 3, key "refs"
_PATH = re.compile(rf"^({_BARE})(?:\[(\d+)\])?(?:\(id=[^)]*\))?(?:\.({_BARE}))?")
_TOKEN = re.compile(r"[#\"'\[\]{}]")
# A basic string closed on its line; a backslash takes the character after it.
_BASIC_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
# A value that leaves the scan below as it found it, with nothing after it but white space or a
# comment: a basic string without escapes, a one-line array of them, or a bare value (a number,
# a flag, a date).  Most lines of a content file are one of these.
_PLAIN = r'[^#"\'\[\]{}]*'
# (Not empty: two strings side by side must not read as a triple quote, '[""""]'.)
_SIMPLE_VALUE = re.compile(rf'{_PLAIN}(?:"[^"\\]+"|\[(?:{_PLAIN}"[^"\\]+")*{_PLAIN}\])?[^"\'\[\]{{}}]*$')


def _logical_lines(text: str):
    """(line number, line) for each line that starts outside a string or an array."""
    for number, line, _, _ in _scan(text):
        yield number, line


def _scan(text: str):
    """``_logical_lines`` with each line's header match and key match (None: not one)."""
    depth = 0  # open [ and { of a value spanning lines
    quote = ""  # the open multi-line string delimiter
    for number, line in enumerate(text.split("\n"), 1):
        starts_clean = not quote and depth == 0
        i, n = 0, len(line)
        if starts_clean:
            # A header line holds no value to scan.
            header = _HEADER.match(line)
            if header:
                yield number, line, header, None
                continue
            key = _KEY.match(line)
            yield number, line, None, key
            if key is None:
                i = n
            elif _SIMPLE_VALUE.match(line, key.end()):
                continue  # most lines: nothing else to scan
            else:
                i = key.end()
        while i < n:
            if quote:
                end = line.find(quote, i)
                while end > 0 and quote == '"""' and _escaped(line, end):
                    end = line.find(quote, end + 1)
                if end < 0:
                    break
                i = end + 3
                while i < n and line[i] == quote[0]:  # up to two quotes may end the string's text
                    i += 1
                quote = ""
                continue
            # Only quotes, comments and brackets matter: the text between them is skipped whole.
            token = _TOKEN.search(line, i)
            if token is None:
                break
            i = token.start()
            c = line[i]
            if c == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                quote = line[i:i + 3]
                i += 3
            elif c == '"':
                string = _BASIC_STRING.match(line, i)
                if string is None:  # not closed on this line: the rest of it is the string's
                    break
                i = string.end()
            elif c == "'":
                end = line.find("'", i + 1)
                if end < 0:
                    break
                i = end + 1
            else:
                depth = depth + 1 if c in "[{" else max(0, depth - 1)
                i += 1


def _escaped(line: str, at: int) -> bool:
    backslashes = 0
    while at - 1 - backslashes >= 0 and line[at - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


class Locator:
    """Maps key paths (as studygen names them) to 1-based line numbers."""

    def __init__(self, text: str, raw: dict[str, Any]):
        self._raw = raw
        self._lines: dict[tuple[str, int | None, str | None], int] = {}
        entries: dict[str, list[dict[tuple, int]]] = {}
        tables: dict[str, int] = {}
        doubtful: set[str] = set()
        current: tuple[str, int | None] | None = None  # None: the root table
        root: dict[str, int] = {}
        keys_here: dict[tuple, int] | None = None  # the keys of the [[entry]] being read
        for number, line, header, key in _scan(text):
            if key is not None:  # (a key line never starts with "[")
                if current is None:
                    root.setdefault(key.group(1), number)
                elif keys_here is not None:
                    keys_here.setdefault((key.group(1),), number)
                elif current[0]:
                    self._lines.setdefault((current[0], None, key.group(1)), number)
                continue
            if not header:
                if line.lstrip().startswith("["):
                    current, keys_here = ("", None), None  # a header we do not read: keys below it get no line
                continue
            opening, name, closing = header.groups()
            if len(opening) != len(closing):
                current, keys_here = ("", None), None
                continue
            if opening == "[[":
                keys_here = {(): number}
                entries.setdefault(name, []).append(keys_here)
                current = (name, len(entries[name]) - 1)
            else:
                if name in tables:
                    doubtful.add(name)
                tables[name] = number
                current, keys_here = (name, None), None
        for name, number in tables.items():
            if name not in doubtful and isinstance(raw.get(name), dict):
                self._lines[(name, None, None)] = number
            else:
                for k in [k for k in self._lines if k[0] == name]:
                    del self._lines[k]
        for name, found in entries.items():
            data = raw.get(name)
            if not isinstance(data, list) or len(data) != len(found) or name in tables or name in root:
                continue
            for index, keys in enumerate(found):
                self._lines[(name, index, None)] = keys[()]
                entry = data[index]
                if isinstance(entry, dict):
                    for path, number in keys.items():
                        if path and path[0] in entry:
                            self._lines[(name, index, path[0])] = number
        for key, number in root.items():
            if key in raw and key not in tables and key not in entries:
                self._lines[(key, None, None)] = number
        # Keys of a [table] must be in the parsed table.
        for (name, index, key) in list(self._lines):
            if index is None and key is not None:
                if not (isinstance(raw.get(name), dict) and key in raw[name]):
                    del self._lines[(name, index, key)]

    @classmethod
    def lazy(cls, text: str, raw: dict[str, Any]) -> "_Lazy":
        return _Lazy(text, raw)

    def line(self, where: str) -> int | None:
        """The line of ``where``: its key, else its entry's header (a missing key), else nothing."""
        match = _PATH.match(where)
        if not match:
            return None
        table, index, key = match.group(1), match.group(2), match.group(3)
        index = int(index) if index is not None else None
        if (table, index, key) in self._lines:
            return self._lines[(table, index, key)]
        entry = self._raw.get(table)
        if index is not None:
            entry = entry[index] if isinstance(entry, list) and index < len(entry) else None
        if key is not None and isinstance(entry, dict) and key in entry:
            return None  # the key is there, written in a way the scan does not read
        return self._lines.get((table, index, None))


class _Lazy:
    """A Locator built on first use: most loads report nothing and need no lines."""

    def __init__(self, text: str, raw: dict[str, Any]):
        self._args: tuple | None = (text, raw)
        self._locator: Locator | None = None

    def line(self, where: str) -> int | None:
        if self._locator is None:
            self._locator = Locator(*self._args)
        return self._locator.line(where)
