"""ReportLab's SVG renderer writes the same document with ``svgdom`` as with minidom."""

from __future__ import annotations

import io
from xml.dom import getDOMImplementation

from hypothesis import given, settings, strategies as st
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Group, PolyLine, Polygon, Rect, String
from reportlab.lib import colors

from generator.load import load
from generator.render.pdf import diagram, fonts, svgdom
from tests.conftest import CONTENT, starter, write_content

fonts.register()

# Text with what XML escapes, white space minidom may escape in attributes, and characters beyond ASCII.
TEXT = st.text(alphabet="aZ09 &<>\"'\t\n\r;:#%()[]\\é‘’“”–→≥αβ一", max_size=20)
NUMBER = st.one_of(st.integers(-50, 300), st.floats(-50, 300, allow_nan=False), st.sampled_from([0.1, 39.19999999999999]))
COLOR = st.sampled_from([None, colors.black, colors.HexColor("#4a4a4a"), colors.Color(0.2, 0.4, 0.6, alpha=0.5)])
DASH = st.sampled_from([None, [5, 2.5], [0.1, 2.6], [3]])


@st.composite
def shapes(draw, depth: int = 2):
    kind = draw(st.sampled_from(["rect", "string", "polyline", "polygon"] + (["group"] if depth else [])))
    if kind == "rect":
        r = draw(st.sampled_from([0, 5]))
        return Rect(draw(NUMBER), draw(NUMBER), draw(NUMBER), draw(NUMBER), rx=r, ry=r, fillColor=draw(COLOR),
                    strokeColor=draw(COLOR), strokeWidth=draw(NUMBER), strokeDashArray=draw(DASH))
    if kind == "string":
        return String(draw(NUMBER), draw(NUMBER), draw(TEXT),
                      fontName=draw(st.sampled_from([fonts.REGULAR, fonts.BOLD, fonts.ITALIC])),
                      fontSize=draw(st.sampled_from([7.5, 8, 10.5])), fillColor=draw(COLOR) or colors.black,
                      textAnchor=draw(st.sampled_from(["start", "middle", "end"])))
    if kind in ("polyline", "polygon"):
        points = draw(st.lists(NUMBER, min_size=4, max_size=8).filter(lambda p: len(p) % 2 == 0))
        made = PolyLine if kind == "polyline" else Polygon
        return made(points, strokeColor=draw(COLOR), strokeWidth=draw(NUMBER), strokeDashArray=draw(DASH),
                    strokeLineCap=draw(st.sampled_from([0, 1, 2])), fillColor=draw(COLOR))
    group = Group(*draw(st.lists(shapes(depth - 1), max_size=3)))
    if draw(st.booleans()):
        group.translate(draw(NUMBER), draw(NUMBER))
    return group


@st.composite
def operations(draw, depth: int = 2):
    """Calls a renderer makes: attributes set (some twice), elements and text added."""
    ops = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["set", "set", "text", "element"] if depth else ["set", "text"]))
        if kind == "set":
            ops.append(("set", draw(st.sampled_from(["x", "style", "transform", "id"])), draw(TEXT)))
        elif kind == "text":
            ops.append(("text", draw(TEXT)))
        else:
            ops.append(("element", draw(st.sampled_from(["g", "text", "rect"])), draw(operations(depth - 1))))
    return ops


def _apply(doc, element, ops) -> None:
    for op in ops:
        if op[0] == "set":
            element.setAttribute(op[1], op[2])
        elif op[0] == "text":
            element.appendChild(doc.createTextNode(op[1]))
        else:
            child = doc.createElement(op[1])
            element.appendChild(child)
            _apply(doc, child, op[2])


@settings(max_examples=200, deadline=None)
@given(operations(), st.sampled_from(["", "\t"]), st.sampled_from(["", "\n"]), st.sampled_from([None, "utf-8"]))
def test_documents_are_written_as_minidom_writes_them(ops, addindent, newl, encoding):
    written = []
    for implementation in (getDOMImplementation("minidom"), svgdom._implementation("minidom")):
        doctype = implementation.createDocumentType("svg", "-//W3C//DTD SVG 1.0//EN", "http://x.org/svg10.dtd")
        doc = implementation.createDocument(None, "svg", doctype)
        _apply(doc, doc.documentElement, ops)
        out = io.StringIO()
        doc.writexml(out, addindent=addindent, newl=newl, encoding=encoding)
        written.append(out.getvalue())
    assert written[0] == written[1]


def _both(d: Drawing) -> tuple[str, str]:
    theirs = renderSVG.drawToString(d)
    with svgdom.used():
        ours = renderSVG.drawToString(d)
    return ours, theirs


@settings(max_examples=120, deadline=None)
@given(st.lists(shapes(), max_size=8), NUMBER, NUMBER)
def test_drawings_are_written_as_minidom_writes_them(contents, width, height):
    d = Drawing(abs(width) + 1, abs(height) + 1)
    for shape in contents:
        d.add(shape)
    ours, theirs = _both(d)
    assert ours == theirs


def test_the_renderer_gets_minidom_back_afterwards():
    before = renderSVG.getDOMImplementation
    with svgdom.used():
        assert renderSVG.getDOMImplementation is not before
    assert renderSVG.getDOMImplementation is before


_STEP = st.text(alphabet="NMN raises NAD in blood & SIRT1 \"autophagy\" proteins é→'", min_size=1, max_size=60)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(_STEP.filter(str.strip), st.sampled_from([None, "cell", "mouse", "human"])), min_size=1,
                max_size=6))
def test_the_deck_diagram_is_minidoms(tmp_path_factory, steps):
    data = starter()
    data["pathway"] = [dict({"id": f"p{i}", "label": label.strip(), "detail": "Step."},
                            **({"shown_in": model} if model else {})) for i, (label, model) in enumerate(steps)]
    data["cards"] = [c for c in data["cards"] if not c.get("pathway")]
    content = load(write_content(tmp_path_factory.mktemp("c"), data)).content
    with diagram.unchecked():
        expected = renderSVG.drawToString(diagram.drawing(content))
    assert diagram.svg(content) == expected


def test_the_articles_diagram_is_minidoms():
    content = load(CONTENT).content
    with diagram.unchecked():
        assert diagram.svg(content) == renderSVG.drawToString(diagram.drawing(content))
