"""Checks of the markup in every text field: what Anki or the printed page would
read otherwise than the author meant.

Errors are deletions that would lose or change cards (look-alikes such as
``{{c1:x}}``, unclosed, empty, nested deletions, cloze syntax outside cloze
text, ``::`` inside markup in a deletion).  Warnings are markers that print as
typed (an unmatched ``*``, ``**``, ``^{`` or ``_{``), which may be meant.
Fields are found by their ``Markup`` marker in the content model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from generator import inline, prose
from generator.errors import Problem
from generator.model import Content, Entry, Markup, markups

# Anything that starts like a deletion: "{{c1::", "{{c1:", "{{ c1::", "{c1::", "{{C1::", "{{c0::", "{{c::";
# a single brace needs the number, so set notation such as "{c: c > 0}" stays text.
_LOOKALIKE = re.compile(r"\{[\s{]*\{\s*c\s*(\d*)\s*:|\{\s*c\s*(\d+)\s*:", re.IGNORECASE)
_OPENER = re.compile(r"\{\{c[1-9][0-9]{0,2}::")
_MARKER = re.compile(r"\*+|[\^_]\{")
_QUOTE = 48  # characters of context quoted in a message


def markup_fields(content: Content) -> Iterable[tuple[str, str, Markup]]:
    """Every text field that holds markup: key path, text and how it is read."""
    for table, entries in content:
        single = not isinstance(entries, list)
        for i, entry in enumerate([entries] if single else entries):
            if not isinstance(entry, Entry):
                continue  # a table left out because it did not validate
            where = table if single else f"{table}[{i}]"
            if isinstance(getattr(entry, "id", None), str):
                where += f"(id={entry.id})"
            for key, markup in markups(type(entry)).items():
                value = getattr(entry, key)
                if isinstance(value, str):
                    yield f"{where}.{key}", value, markup


def errors(content: Content) -> list[Problem]:
    """The errors of every markup field."""
    # Loading waits for the errors, while the warnings are printed only once the outputs are
    # made: only the fields that may hold an error are read now (see ``may_have_errors``).
    return [Problem(where, what) for where, text, markup in markup_fields(content)
            if may_have_errors(text, markup) for what in check_text(text, markup)[0]]


def may_have_errors(text: str, markup: Markup) -> bool:
    """False only where ``check_text`` finds no error: outside cloze text every error is a
    look-alike of a deletion, and a look-alike in a unit or a leaf of its tree is one in the
    text (they are the text's own characters, white space apart)."""
    return markup.cloze or _LOOKALIKE.search(text) is not None


def warnings(content: Content) -> list[Problem]:
    """The warnings of every markup field."""
    # Every warning is a marker left as text, and every marker has a "*" or a "{".
    return [Problem(where, what) for where, text, markup in markup_fields(content)
            if "*" in text or "{" in text for what in check_text(text, markup)[1]]


def _quote(text: str, start: int, end: int | None = None) -> str:
    """A short excerpt of ``text`` from ``start``, through the next "}}" if there is one near."""
    cut = False
    if end is None:
        close = text.find("}", start)
        if 0 <= close < start + _QUOTE:
            end = close + (2 if text.startswith("}}", close) else 1)
        else:
            end, cut = start + _QUOTE, start + _QUOTE < len(text)
    return repr(text[start:end] + ("…" if cut else ""))


def _lookalike(text: str, m: re.Match, cloze: bool) -> str:
    start = m.start()
    opener = _OPENER.match(text, start) if cloze else None
    if opener and text.startswith("}}", opener.end()):
        return f"the deletion {_quote(text, start)} is empty: Anki would ask for nothing"
    if opener:
        return f"an unclosed {{{{cN::...}}}} deletion {_quote(text, start)}: close it with }}}}"
    if not cloze:
        return (f"{_quote(text, start)} is cloze syntax, but only the text of a cloze card "
                '(type = "cloze") has deletions; here it would show as typed')
    digits = m.group(1) or m.group(2)
    number = int(digits) if digits else 0
    rest = text[m.end():].lstrip(":")
    answer = re.split(r"\}", rest, maxsplit=1)[0].strip()
    if 1 <= number <= 999:
        fix = f"write {{{{c{number}::{answer}}}}}"
    elif number > 999:
        fix = "deletion numbers run from c1 to c999"
    else:
        fix = "deletion numbers start at c1"
    return (f"{_quote(text, start)} looks like a cloze deletion but is not one "
            f"(Anki would show it as typed and make no card from it); {fix}")


def _literal_markers(text: str) -> list[str]:
    """Markers left as text; a run of stars standing alone between spaces ("5 * 3") is meant."""
    found: list[str] = []
    if "*" not in text and "{" not in text:  # no marker can be there: most text
        return found
    for m in _MARKER.finditer(text):
        if m.group(0).startswith("*"):
            before = text[m.start() - 1] if m.start() else " "
            after = text[m.end()] if m.end() < len(text) else " "
            if before.isspace() and after.isspace():
                continue
        found.append(m.group(0) if not m.group(0).startswith("*") else m.group(0)[:2])
    return found


def _star_context(unit: str) -> str:
    at = unit.find("*")
    if at < 0:
        at = max(unit.find("^{"), unit.find("_{"), 0)
    start = max(0, at - 16)
    return ("…" if start else "") + unit[start:at + 24] + ("…" if at + 24 < len(unit) else "")


def _walk(nodes, deletion: inline.Cloze | None, in_span: bool, markup: Markup, errors: list[str],
          markers: list[str]) -> bool:
    """Add the errors and literal markers of ``nodes``; whether a deletion was written but is not one.

    A module function rather than a closure: a nested function that calls itself is a reference
    cycle, left for the cycle collector after every field."""
    malformed = False
    for node in nodes:
        if isinstance(node, inline.Text):
            if "{" in node.text:  # every look-alike has one
                for m in _LOOKALIKE.finditer(node.text):
                    errors.append(_lookalike(node.text, m, markup.cloze))
                    malformed = True
            if deletion is not None and in_span and "::" in node.text:
                errors.append(
                    f"'::' inside markup in the deletion {inline.unparse((deletion,))!r}: Anki splits "
                    "a deletion at its first '::' (answer::hint) even inside markup, so the card "
                    "would read differently in Anki; keep '::' out of the answer, or close the "
                    "markup before the hint ({{c1::*answer*::hint}})")
            markers.extend(_literal_markers(node.text))
        elif isinstance(node, inline.Cloze):
            shown = repr(inline.unparse((node,)))
            if deletion is not None:
                errors.append(f"a deletion inside another deletion, {shown}: "
                              "Anki would not make its card")
            if not inline.plain(node.children).strip():
                errors.append(f"the deletion {shown} is empty: Anki would ask for nothing")
            if node.hint is not None:
                if not node.hint.strip():
                    errors.append(f"the deletion {shown} has an empty hint (Anki shows '[]'); "
                                  "write a hint after '::' or remove the '::'")
                if _LOOKALIKE.search(node.hint):
                    errors.append(f"a deletion inside another deletion (in the hint of {shown}): "
                                  "Anki would not make its card")
            malformed |= _walk(node.children, node, False, markup, errors, markers)
        elif isinstance(node, inline.Span):
            malformed |= _walk(node.children, deletion, True, markup, errors, markers)
    return malformed


@lru_cache(maxsize=8192)  # watch reloads content after every edit; most fields are unchanged
def check_text(text: str, markup: Markup) -> tuple[list[str], list[str]]:
    """(errors, warnings) of one field's text (the lists are shared: not to be changed)."""
    errors: list[str] = []
    warnings: list[str] = []
    numbers: set[int] = set()
    malformed = False  # a deletion was written but is not one (unclosed, a look-alike)
    for unit in prose.units(text, markup.blocks):
        tree = inline.parse(unit, markup.cloze)
        numbers |= inline.cloze_numbers(tree)
        markers: list[str] = []
        malformed |= _walk(tree, None, False, markup, errors, markers)
        if markers:
            kinds = ", ".join(f"'{k}'" for k in dict.fromkeys(markers))
            warnings.append(f"unmatched {kinds} in {_star_context(unit)!r} prints as typed; "
                            "close the markup (*italic*, **bold**, ^{sup}, _{sub}) or reword")
    # After a message about the deletion the author wrote, "needs a deletion" would only
    # repeat it, less precisely.
    if markup.cloze and not numbers and not malformed:
        errors.append("a cloze card needs at least one {{c1::...}} deletion")
    return list(dict.fromkeys(errors)), warnings
