"""Numbers formatted once per distinct arguments (``render/pdf/numbers``) read as ReportLab's
own ``fp_str`` writes them: on first use, when remembered, and for equal numbers of other types."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from generator.render.pdf import numbers

_original = numbers._fp_str
_number = st.one_of(
    st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.floats(-1e-5, 1e-5), st.floats(-2000, 2000).map(lambda x: round(x, 4)), st.integers(-3000, 3000).map(lambda n: n / 1000),
    st.sampled_from([0, 0.0, -0.0, 1e-7, -1e-7, 1.0000001e-7, 0.5, 0.9999995, 1.0000005, 999999.5, 2**53 + 1,
                     True, False]))


def _outcome(function, args):
    try:
        return function(*args)
    except Exception as error:  # the same failure both ways
        return type(error)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_number, min_size=1, max_size=5), min_size=1, max_size=30))
def test_numbers_are_written_as_reportlab_writes_them(calls):
    # One after the other, as a document writes them, each call finding what the ones before left.
    numbers._known.clear()
    for args in calls:
        _written_alike(args)


def _written_alike(args) -> None:
    expected = _outcome(_original, args)
    assert _outcome(numbers.fp_str, args) == expected  # formatted
    assert _outcome(numbers.fp_str, args) == expected  # remembered
    for other in ([float(a) for a in args], [Decimal(a) if a == a else a for a in args],
                  [int(a) if float(a).is_integer() else a for a in args]):
        try:
            same = all(a == b for a, b in zip(args, other))
        except OverflowError:
            continue
        if same:  # equal values of another type find the remembered answer
            assert _outcome(numbers.fp_str, other) == _outcome(_original, other) == expected


@pytest.mark.parametrize("args", [([1, 2.5],), ((1, 2.5),), ("12",), (Fraction(1, 3),), (Decimal("0.1"), 0.1),
                                  (None,), ()])
def test_other_arguments_are_written_as_reportlab_writes_them(args):
    for _ in range(2):
        assert _outcome(numbers.fp_str, args) == _outcome(_original, args)


def test_what_is_remembered_stays_bounded():
    numbers._known.clear()
    for n in range(numbers._LIMIT * 2 + 5):
        assert numbers.fp_str(n / 7) == _original(n / 7)
    assert len(numbers._known) <= numbers._LIMIT
