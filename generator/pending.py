"""Warnings found when first asked for.

Loading must find every error before a build renders anything, but a file's
warnings (the card-writing rules, each warning's line in the file) are only
printed once its outputs are made.  Left for later, they are found in the main
process of a parallel build while the workers render (``generator.build``), not
in the way before the workers start: about a third of loading 5,000 cards.
The messages, their order and what ``check --strict`` counts stay the same.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Callable, Iterable, Iterator


class Warnings(Sequence):
    """A tuple of ``Problem``s made by ``find(*args)`` on first use.

    A document sent to a worker process takes the work along undone rather than doing it
    while it is sent (a worker never asks for its warnings)."""

    def __init__(self, find: Callable[..., Iterable[Any]], args: tuple, extra: Any = None):
        self._find = find
        self._args = args  # picklable: what the work is sent with
        self._extra = extra  # what spares some of the work here (dropped once done)
        self._found: tuple | None = None
        self._lock = threading.Lock()

    @classmethod
    def known(cls, found: Iterable[Any]) -> "Warnings":
        done = cls(tuple, ())
        done._found = tuple(found)
        return done

    def settle(self) -> "Warnings":
        """Find them now (once)."""
        if self._found is None:
            with self._lock:
                if self._found is None:
                    found = tuple(self._find(*self._args, self._extra) if self._extra is not None
                                  else self._find(*self._args))
                    self._found, self._extra = found, None
        return self

    def provide(self, found: Iterable[Any]) -> None:
        """What ``find`` gives, found elsewhere (a worker process of the build)."""
        with self._lock:
            if self._found is None:
                self._found, self._extra = tuple(found), None

    def _all(self) -> tuple:
        return self.settle()._found

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Warnings):
            other = other._all()
        return self._all() == other if isinstance(other, tuple) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self):
        found = self._found  # read once: the main process may be finding them at this moment
        if found is not None:
            return Warnings.known, (found,)
        return Warnings, (self._find, self._args)


def settle(docs: Iterable[Any]) -> None:
    """Find the warnings of every document not done yet."""
    for doc in docs:
        if isinstance(doc.warnings, Warnings):
            doc.warnings.settle()
