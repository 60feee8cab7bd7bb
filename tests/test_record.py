"""generator.record: every record class behaves as the frozen dataclass it replaced would."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import pickle
import pkgutil
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import generator
from generator import record
from generator.model import Entry
from generator.record import Record


def _all_records() -> list[type[Record]]:
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found, todo = [], [Record]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if not issubclass(cls, Entry) and cls.__module__.startswith("generator."):
                found.append(cls)  # content entries are made by keyword only: tests/test_validate.py
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


RECORDS = _all_records()


def twin(cls: type[Record]) -> type:
    """The frozen dataclass with ``cls``'s fields, defaults and comparison."""
    return dataclasses.make_dataclass(cls.__name__, [
        (name, Any, dataclasses.field(default=cls._defaults[name], compare=name not in cls._uncompared)
         if name in cls._defaults else dataclasses.field(compare=name not in cls._uncompared))
        for name in record.fields(cls)], frozen=True)


values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "a", "b"]),
                   st.tuples(st.sampled_from(["a", "b"])))


@st.composite
def calls(draw, cls: type[Record]) -> tuple[tuple, dict]:
    """Arguments a caller may pass: some fields by position, the rest by keyword, defaults left out or not."""
    names = record.fields(cls)
    given_values = {name: draw(values) for name in names}
    positional = draw(st.integers(0, len(names)))
    kwargs = {name: given_values[name] for name in names[positional:]
              if name not in cls._defaults or draw(st.booleans())}
    return tuple(given_values[name] for name in names[:positional]), kwargs


def test_every_record_class_is_found():
    names = {cls.__qualname__ for cls in RECORDS}
    assert {"Problem", "Options", "Format", "Document", "Text", "Cite", "StudyCard", "Output"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_record_behaves_as_its_frozen_dataclass(cls, data):
    model = twin(cls)
    (args_a, kw_a), (args_b, kw_b) = data.draw(calls(cls)), data.draw(calls(cls))
    a, b = cls(*args_a, **kw_a), cls(*args_b, **kw_b)
    twin_a, twin_b = model(*args_a, **kw_a), model(*args_b, **kw_b)
    assert repr(a) == repr(twin_a)
    assert (a == b) == (twin_a == twin_b)
    assert (a != b) == (twin_a != twin_b)
    if a == b:
        assert hash(a) == hash(b)
    assert a != twin_a and a != repr(a)  # another class never compares equal
    for made in (pickle.loads(pickle.dumps(a)), copy.deepcopy(a)):
        assert type(made) is cls and repr(made) == repr(a) and made == a
    name = data.draw(st.sampled_from(record.fields(cls)))
    value = data.draw(values)
    assert repr(record.replace(a, **{name: value})) == repr(dataclasses.replace(twin_a, **{name: value}))
    with pytest.raises(AttributeError):
        setattr(a, name, value)
    with pytest.raises(AttributeError):
        delattr(a, name)
    assert repr(a) == repr(twin_a)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_a_record_refuses_the_calls_its_dataclass_refuses(cls):
    names = record.fields(cls)
    full = {name: None for name in names}
    bad = [((None,) * (len(names) + 1), {}), ((), {**full, "unknown": 1})]
    if names:
        bad.append(((None,), {**full}))  # the first field twice
    required = [name for name in names if name not in cls._defaults]
    if required:
        bad.append(((), {name: None for name in names if name != required[-1]}))
    for args, kwargs in bad:
        with pytest.raises(TypeError):
            twin(cls)(*args, **kwargs)
        with pytest.raises(TypeError):
            cls(*args, **kwargs)


def test_uncompared_fields_are_left_out_of_equality_and_hashing():
    class Noted(Record):
        value: int
        notes: tuple = ()
        _uncompared = ("notes",)

    assert Noted(1, ("x",)) == Noted(1) and hash(Noted(1, ("x",))) == hash(Noted(1))
    assert Noted(1) != Noted(2)
    assert record.fields(Noted) == ("value", "notes")


def test_a_subclass_adds_its_fields_after_its_bases():
    class Base(Record):
        first: int
        second: int = 2

    class Derived(Base):
        third: int = 3

    assert record.fields(Derived) == ("first", "second", "third")
    assert repr(Derived(1, third=4)) == "Derived(first=1, second=2, third=4)"
    assert Derived(1) != Base(1)
