"""Python's cycle collector kept out of the way while content is read.

Reading a file of thousands of cards makes hundreds of thousands of objects that all
live on (the parsed TOML, the content, its parsed markup and study cards) and next to
no reference cycles.  Every few hundred allocations the collector runs, and each time
it reaches the oldest generation it walks every object made so far, to free nothing:
about a third of the CPU time of loading 5,000 cards.  Paused for a load, it runs
again afterwards and collects any cycles made meanwhile.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """No cycle collection until exit (unless someone else turned it off before: left off)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
