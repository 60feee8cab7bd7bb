"""Quicker-to-compile equivalents of two regular expressions ReportLab compiles on import.

Importing ReportLab's paragraphs compiles its URI pattern (used when a word that looks
like a link is broken at a line's end), about 50 ms of CPU in every process that
imports them, and ``textsplit``'s CJK pattern (used by a function studygen never
calls), about 6 ms.  Both are slow to compile because of a character class spanning
most of the Basic Multilingual Plane: under IGNORECASE the compiler looks up the case
of each of its 65,000 characters, and a class within the plane is built as a table
of it one character at a time.  A class spelt as its complement within the plane
and beyond it matches the same characters and compiles at once.

``seed`` puts compiled equivalents in ``re``'s cache under ReportLab's own spellings
before ReportLab is imported, so its ``re.compile`` gets them.  Where that cannot work
(ReportLab imported already, another ``re`` module, a pattern ReportLab spells
differently) ReportLab compiles its own: the same matches, only slower.
``tests/test_patterns.py`` checks every character against the originals.
"""

from __future__ import annotations

import re
import sys

# ReportLab 5's spellings (reportlab/platypus/paragraph.py, reportlab/lib/textsplit.py).
URI = ('(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)'
       '(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]'
       '(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*'
       '\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))(?::\\d{2,5})?'
       '(?:[/?#][^\\s]*)?\\Z')
URI_FLAGS = re.I
CJK = "([\u2e80-\uffff])"
CJK_FLAGS = re.UNICODE

# U+00A1 to U+FFFF, case left aside (no character outside the range has a case
# partner inside it), as the complement of what lies below and beyond it.
_HIGH = "(?-i:[^\x00-\xa0\U00010000-\U0010ffff])"

# Each class of URI with the range, and its equivalent: the ASCII part keeps IGNORECASE.
URI_CLASSES = {
    "[a-z\xa1-\uffff0-9]": f"(?:[a-z0-9]|{_HIGH})",
    "[a-z\xa1-\uffff0-9-]": f"(?:[a-z0-9-]|{_HIGH})",
    "[a-z\xa1-\uffff-]": f"(?:[a-z-]|{_HIGH})",
}
CJK_CLASS = ("[\u2e80-\uffff]", "[^\x00-\u2e7f\U00010000-\U0010ffff]")


def _respelt(pattern: str, classes: dict[str, str]) -> str:
    for original, equivalent in classes.items():
        pattern = pattern.replace(original, equivalent)
    return pattern


def uri() -> str:
    return _respelt(URI, URI_CLASSES)


def cjk() -> str:
    return _respelt(CJK, dict([CJK_CLASS]))


class _OnFirstUse:
    """A pattern compiled the first time something is asked of it: ReportLab compiles the CJK
    pattern on import for a line-breaking mode studygen never uses (2 ms even respelt)."""

    def __init__(self, pattern: str, flags: int):
        self._spelling = (pattern, flags)

    def __getattr__(self, name: str):
        return getattr(re.compile(*self._spelling), name)


def seed() -> None:
    """Let ReportLab's import find its two slow patterns compiled already (see above)."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return
    cache.setdefault((str, URI, int(URI_FLAGS)), re.compile(uri(), URI_FLAGS))
    cache.setdefault((str, CJK, int(CJK_FLAGS)), _OnFirstUse(cjk(), CJK_FLAGS))
