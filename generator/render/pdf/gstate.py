"""Faster saving of a canvas's graphics state (``saveState``).

Every drawn paragraph, table cell and card face saves the canvas's state twice
(once to move there, once to draw), and ReportLab copies the 23 values of that
state into a new dictionary one at a time in Python.  The same dictionary, keys
in the same order, is made here in one step.  Restoring it is already one
dictionary update.  ``tests/test_gstate.py`` compares the saved states and the
drawn bytes with ReportLab's own.
"""

from __future__ import annotations

from operator import itemgetter

from reportlab.pdfgen.canvas import Canvas

_push = getattr(Canvas.push_state_stack, "original", Canvas.push_state_stack)
_NAMES = tuple(Canvas.STATE_ATTRIBUTES)
_values = itemgetter(*_NAMES)


def _push_state_stack(self):
    """``Canvas.push_state_stack`` for a canvas that keeps ReportLab's list of state values."""
    if self.STATE_ATTRIBUTES is not Canvas.STATE_ATTRIBUTES or len(Canvas.STATE_ATTRIBUTES) != len(_NAMES):
        return _push(self)
    self.state_stack.append(dict(zip(_NAMES, _values(self.__dict__))))
    self._extgstate = self._extgstate.pushCopy()


_push_state_stack.original = _push


def install() -> None:
    """Save graphics states this way on every canvas of this process (idempotent)."""
    Canvas.push_state_stack = _push_state_stack
