"""Keep Python's cycle collector off the objects that exist before a long render.

A build of thousands of cards holds hundreds of thousands of objects (the
content, its study cards, measured faces) that live until the process ends.
Rendering allocates millions more, and every few thousand allocations the
collector runs; when it reaches the oldest generation it walks all of them
again, to free nothing: about a tenth of the card sheets' time at 5,000 cards.
Freezing moves the objects that already exist out of its way for the render;
objects made during it are collected as before.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

from generator import collector

# Objects frozen before studygen was imported: Python 3.12 starts with a few hundred of its own
# frozen.  Only a freeze beyond them is someone's freeze for good, which a render leaves alone.
_frozen_before = gc.get_freeze_count()
_for_good = False


def freeze_for_good() -> None:
    """Keep every object that exists now out of the collector's way until the process ends
    (a build's worker: what it inherits from the parent)."""
    global _for_good
    gc.freeze()
    _for_good = True
    collector.for_good()


@contextmanager
def settled():
    """Objects existing on entry are not walked by the cycle collector until exit."""
    global _frozen_before
    if _for_good or gc.get_freeze_count() > _frozen_before:  # frozen for good: leave that to them
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # anything that became garbage meanwhile is collectable again
        _frozen_before = 0  # Python's own frozen objects were let go too
