"""Numbers written into a PDF, each distinct list of them formatted once.

Every coordinate, size, colour and offset ReportLab writes goes through
``fp_str``, which formats each number with the C library's ``printf`` and
then trims it: a few thousand machine instructions a call, some ten thousand
calls in a build of one article (a page's moves, text origins, colours, font
widths, link rectangles), the same few values over and over.  The answer is a
function of the numbers' values alone (each is read as a double; equal values
of any type are the same double), so it is remembered per tuple of arguments.

Only plain ints and floats are remembered; an argument of any other type (a
sequence, a string, a NumPy number) is formatted every time, but may find the
answer of an equal plain number, which is the same text.
``tests/test_numbers.py`` compares both over the numbers a PDF can hold.
"""

from __future__ import annotations

from reportlab.lib import rl_accel

_fp_str = getattr(rl_accel.fp_str, "original", rl_accel.fp_str)
_PLAIN = (int, float)
_LIMIT = 8192  # a build writes a few thousand distinct ones; past this, start again
_known: dict[tuple, str] = {}


def fp_str(*args) -> str:
    """ReportLab's ``fp_str``: the numbers, each in at most six decimals, joined by spaces."""
    try:
        text = _known.get(args)
    except TypeError:  # a list argument
        return _fp_str(*args)
    if text is None:
        text = _fp_str(*args)
        for arg in args:
            if arg.__class__ not in _PLAIN:
                return text
        if len(_known) >= _LIMIT:
            _known.clear()
        _known[args] = text
    return text


fp_str.original = _fp_str


def _modules():
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen import textobject

    return textobject, pdfdoc


def install() -> None:
    """Format numbers this way in ReportLab's text objects and saved objects in this process
    (idempotent); the canvas and paths keep ReportLab's own, their numbers repeat too little
    to pay for the lookup."""
    for module in _modules():
        module.fp_str = fp_str
