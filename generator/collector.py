"""Python's cycle collector kept out of the way while content is read.

Reading a file of thousands of cards makes hundreds of thousands of objects that all
live on (the parsed TOML, the content, its parsed markup and study cards) and next to
no reference cycles.  Every few hundred allocations the collector runs, and each time
it reaches the oldest generation it walks every object made so far, to free nothing:
about a third of the CPU time of loading 5,000 cards.  Paused for a load, it runs
again afterwards, and its next full collection collects any cycles made meanwhile.

What the pause made is moved to the oldest generation at once, as if it had been walked
and kept: the first young collection after the pause would otherwise walk all of it
(the 5,000 cards' loading: 10 to 20 ms on the way to starting the workers; their
warnings: 20 to 35 ms at the end of a build).  A process that keeps what it holds out of
the collector's way for good (a build's worker, ``for_good``) freezes it with the rest.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


_for_good = False


def for_good() -> None:
    """This process has frozen what it holds until it ends (``render.settled.freeze_for_good``)."""
    global _for_good
    _for_good = True


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
        if _for_good:
            gc.freeze()
        elif not gc.get_freeze_count():  # (unfreeze would also let go of someone else's frozen objects)
            gc.freeze()
            gc.unfreeze()  # every tracked object, young or old, into the oldest generation
        gc.enable()
