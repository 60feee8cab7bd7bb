"""A canvas's graphics state is saved as ReportLab saves it (``render/pdf/gstate``)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings, strategies as st
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from generator.render.pdf import fonts, gstate
from generator.render.pdf.fonts import BOLD, REGULAR

fonts.register()

_OPS = st.lists(st.one_of(
    st.tuples(st.just("setFont"), st.sampled_from([REGULAR, BOLD, "Helvetica"]), st.sampled_from([7, 10.5])),
    st.tuples(st.just("setFillColor"), st.sampled_from([colors.red, colors.HexColor("#555555"),
                                                        colors.Color(0, 0, 1, alpha=0.5), colors.CMYKColor(0, 1, 0, 0)])),
    st.tuples(st.just("setStrokeAlpha"), st.sampled_from([0.3, 1])),
    st.tuples(st.just("setLineWidth"), st.sampled_from([0.3, 2])),
    st.tuples(st.just("translate"), st.floats(-50, 50, width=16), st.floats(-50, 50, width=16)),
    st.tuples(st.just("drawString"), st.floats(0, 300, width=16), st.floats(0, 500, width=16),
              st.sampled_from(["NAD⁺ ≥ 2", "plain", ""])),
    st.tuples(st.just("saveState")),
    st.tuples(st.just("restoreState")),
    st.tuples(st.just("showPage")),
), max_size=40)


def _states(canvas: Canvas) -> list:
    def plain(state):
        return {k: (v.__class__, v._d) if k == "_extgstate" else v for k, v in state.items()}
    return [list(map(plain, canvas.state_stack)), canvas._extgstate._d, canvas._extgstate._c]


def _drawn(ops, installed: bool) -> tuple[bytes, list]:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(Canvas, "push_state_stack", gstate._push_state_stack if installed else gstate._push)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, initialFontName=REGULAR, pageCompression=0)
        seen = []
        for name, *args in ops:
            if name == "restoreState" and not canvas.state_stack:
                continue
            if name == "showPage":
                while canvas.state_stack:
                    canvas.restoreState()
            getattr(canvas, name)(*args)
            seen.append(_states(canvas))
        while canvas.state_stack:
            canvas.restoreState()
        canvas.showPage()
        canvas.save()
        return buffer.getvalue(), seen


@settings(max_examples=60, deadline=None)
@given(_OPS)
def test_saved_states_and_drawn_bytes_are_reportlabs(ops):
    assert _drawn(ops, True) == _drawn(ops, False)


def test_nested_states_come_back_in_order():
    ops = [("setFont", BOLD, 7), ("saveState",), ("setFillColor", colors.red), ("saveState",),
           ("setFont", REGULAR, 10.5), ("translate", 3.0, 4.0), ("restoreState",), ("drawString", 1.0, 2.0, "x"),
           ("restoreState",), ("drawString", 5.0, 6.0, "y")]
    assert _drawn(ops, True) == _drawn(ops, False)


def test_a_canvas_with_its_own_state_is_saved_by_reportlab():
    class Wider(Canvas):
        STATE_ATTRIBUTES = Canvas.STATE_ATTRIBUTES + ["_extra"]

    canvas = Wider(io.BytesIO())
    canvas._extra = "kept"
    gstate._push_state_stack(canvas)
    assert canvas.state_stack[-1]["_extra"] == "kept"
