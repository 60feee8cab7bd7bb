"""Work remembered for the content a process asked about last.

Within one build the checks and renderers ask for the same things of one loaded
content (its study cards, the deck's notes, the diagram's SVG); a batch or a
``watch`` rebuild then moves on to other content.  Only the last content's
result is kept, so a long-running process holds no more than one content's worth.
"""

from __future__ import annotations

import functools
from typing import Callable, TypeVar

T = TypeVar("T")


def per_content(make: Callable[[object], T]) -> Callable[[object], T]:
    """``make(content)``, made again only when asked about another content.  Content is
    compared by identity: it is never changed after loading, and holding it keeps its
    identity from being reused by another object."""
    last: list[tuple[object, T]] = []

    @functools.wraps(make)
    def remembered(content):
        if not (last and last[0][0] is content):
            last[:] = [(content, make(content))]
        return last[0][1]

    remembered.forget = last.clear
    return remembered
