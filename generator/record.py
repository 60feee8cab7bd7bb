"""Small immutable records, the base of studygen's value classes and content entries.

A Record behaves as a ``dataclass(frozen=True)`` does: its fields are its class's annotations
in order (a subclass's after its bases'), class attributes are their defaults, it is made with
positional or keyword arguments, compared and hashed by value, and refuses assignment.
Python 3.11's dataclass compiles six methods from source for every class when its module is
imported: about half a millisecond a class, 3% of a build of the article for the nineteen it
imports.  A Record's methods are written once, here.

Annotations whose names start with an underscore are the class's own settings, not fields;
``_uncompared`` names fields that equality and hashing leave out.  A class made tens of
thousands of times may write its own ``__init__``, filling ``self.__dict__`` with its fields.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable


class Record:
    __slots__ = ()
    _names: tuple[str, ...] = ()  # the fields, in order
    _defaults: dict[str, Any] = {}
    _uncompared: tuple[str, ...] = ()  # fields that equality and hashing leave out
    _by_keyword: tuple[frozenset[str], ...] = ()  # [n]: the fields that may come by keyword after n positional ones
    _key: Callable[[Record], Any]  # the compared fields' values

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = tuple(dict.fromkeys(name for klass in reversed(cls.__mro__)
                                    for name in klass.__dict__.get("__annotations__", {}) if not name.startswith("_")))
        cls._names = names
        cls._defaults = {name: getattr(cls, name) for name in names if hasattr(cls, name)}
        cls._by_keyword = tuple(frozenset(names[n:]) for n in range(len(names) + 1))
        compared = [name for name in names if name not in cls._uncompared]
        cls._key = staticmethod(attrgetter(*compared) if compared else lambda record: ())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self._names
        fields = self.__dict__
        if kwargs or len(args) != len(names):
            if len(args) > len(names) or not kwargs.keys() <= self._by_keyword[len(args)]:
                raise TypeError(f"{type(self).__name__} takes the fields {', '.join(names)}, "
                                f"once each: not {len(args)} positional and {', '.join(kwargs) or 'no'} keyword")
            fields.update(self._defaults)
            fields.update(kwargs)
        fields.update(zip(names, args))
        if len(fields) < len(names):
            raise TypeError(f"{type(self).__name__}: missing {', '.join(n for n in names if n not in fields)}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key(self) == self._key(other)

    def __hash__(self) -> int:
        return hash(self._key(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._names)})"


def fields(record: Record | type[Record]) -> tuple[str, ...]:
    """The names of a record's fields, in order."""
    return record._names


def replace(record: Record, **changes: Any) -> Any:
    """A copy of ``record`` with some fields changed."""
    return type(record)(**{name: changes.pop(name, getattr(record, name)) for name in record._names}, **changes)
