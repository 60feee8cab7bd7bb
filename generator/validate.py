"""Content read with the content model's own rules, without pydantic.

Most content files are valid, and importing pydantic and making its models cost
every command more than reading the content does.  ``content`` reads a parsed
file by the declarations of ``generator.model``; it answers only when sure: at
anything it does not take as it is (a problem, or a date written other than
YYYY-MM-DD) it returns None, and ``generator.load`` asks pydantic
(``generator.schema``), which then names every problem.  What it accepts,
pydantic accepts too, with equal values (``tests/test_validate.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from functools import lru_cache
from typing import Annotated, Any, Callable, Literal, Union

from generator import model
from generator.model import Content, Entry, Rule


class _Unsure(Exception):
    pass


def content(raw: dict[str, Any]) -> Content | None:
    """The content of a parsed file, or None when pydantic should read it."""
    try:
        return _reader(Content)(raw)
    except _Unsure:
        return None


Reader = Callable[[Any], Any]


@lru_cache(maxsize=None)
def _reader(annotation: Any) -> Reader:
    """A function that reads a value of the declared type, or raises _Unsure."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _annotated(*typing.get_args(annotation))
    if origin is list:
        item = _reader(typing.get_args(annotation)[0])
        return lambda value: [item(v) for v in value] if type(value) is list else _unsure()
    if origin in (Union, model._UnionType):
        return _union(typing.get_args(annotation))
    if origin is Literal:
        allowed = frozenset(typing.get_args(annotation))
        return lambda value: value if type(value) is str and value in allowed else _unsure()
    if isinstance(annotation, type) and issubclass(annotation, Entry):
        return _entry(annotation)
    # str, int, bool, date: exactly that type (strict: no bool for an int, no subclasses)
    return lambda value: value if type(value) is annotation else _unsure()


def _unsure() -> Any:
    raise _Unsure


def _annotated(base: Any, *markers: Any) -> Reader:
    rules = [m for m in markers if isinstance(m, Rule)]
    tag = next((rule.tag for rule in rules if rule.tag), None)
    if tag:
        return _tagged(base, tag)
    read = _reader(base)
    checks = [check for rule in rules for check in _checks(rule)]
    lax = any(rule.lax for rule in rules)

    def annotated(value: Any) -> Any:
        if lax and type(value) is str:
            value = _date(value)
        value = read(value)
        for check in checks:
            if not check(value):
                raise _Unsure
        return value
    return annotated


def _checks(rule: Rule) -> list[Callable[[Any], bool]]:
    """The tests a value must pass.  Only whether all pass matters here (pydantic names what
    fails), so the pattern comes last: the text pattern backtracks in Python's re, in time
    quadratic in the characters before one it refuses, and the character and length tests,
    linear, leave it only text without such characters."""
    found: list[Callable[[Any], bool]] = []
    if rule.max_length is not None:
        found.append(lambda value, most=rule.max_length: len(value) <= most)
    if rule.min_length is not None:
        found.append(lambda value, least=rule.min_length: len(value) >= least)
    if rule.characters:
        found.append(lambda value: not model.bad_characters(value))
    if rule.levels:
        found.append(lambda value: _passes(model._levels, value))
    if rule.pattern == model.TEXT_PATTERN and rule.characters:
        # After the character test, all the text pattern asks is a character that is not white
        # space (its \s is str.isspace); its classes of thousands of characters take longer to
        # compile (a millisecond) than every text of an article takes to check.
        found.append(_visible)
    elif rule.pattern is not None:
        # Whole strings: "$" would also match before a final newline, where pydantic's does not.
        found.append(re.compile(rule.pattern.removeprefix("^").removesuffix("$")).fullmatch)
    if rule.ge is not None:
        found.append(lambda value, least=rule.ge: value >= least)
    if rule.le is not None:
        found.append(lambda value, most=rule.le: value <= most)
    return found


def _visible(value: str) -> bool:
    return value != "" and not value.isspace()


def _passes(validator: Callable[[Any], Any], value: Any) -> bool:
    try:
        validator(value)
    except ValueError:
        return False
    return True


def _entry(cls: type[Entry]) -> Reader:
    keys = {}
    for name, hint in model.hints(cls).items():
        keys[model.key_of(hint).alias or name] = (name, hint)
    readers: dict[str, tuple[str, Reader]] = {}

    def entry(value: Any) -> Entry:
        if type(value) is not dict or not value.keys() <= keys.keys():
            raise _Unsure  # unknown keys
        if not readers:  # made on first use: entries refer to each other
            readers.update({key: (name, _reader(hint)) for key, (name, hint) in keys.items()})
        values = {}
        for key, item in value.items():
            name, read = readers[key]
            values[name] = read(item)
        try:
            return cls(**values)
        except TypeError:  # a required key is missing
            raise _Unsure from None
    return entry


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(text: str) -> dt.date:
    """A date written as YYYY-MM-DD; any other way of writing one is pydantic's to read."""
    if not _ISO_DATE.fullmatch(text):
        raise _Unsure
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Unsure from None


def _union(choices: tuple) -> Reader:
    """None, or the value of the one choice that takes it (no value of the content model's
    unions fits two of their choices)."""
    optional = type(None) in choices
    readers = [_reader(choice) for choice in choices if choice is not type(None)]

    def union(value: Any) -> Any:
        if value is None:
            return None if optional else _unsure()
        for read in readers:
            try:
                return read(value)
            except _Unsure:
                continue
        raise _Unsure
    return union


def _tagged(union: Any, tag: str) -> Reader:
    """An entry of a union chosen by the value of its ``tag`` key."""
    by_tag = {value: _entry(cls) for cls in typing.get_args(union)
              for value in typing.get_args(model.hints(cls)[tag])}

    def tagged(value: Any) -> Entry:
        if type(value) is not dict or type(value.get(tag)) is not str or value[tag] not in by_tag:
            raise _Unsure
        return by_tag[value[tag]](value)
    return tagged
