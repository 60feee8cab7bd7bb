"""The mechanism diagram drawn from ``[[pathway]]``: a ReportLab Drawing, also exported as SVG."""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from generator.inline import parse, plain
from generator.model import Content
from generator.render.pdf_fonts import BOLD, REGULAR, register

BOX_W, BOX_H, GAP = 150, 34, 22


def drawing(content: Content, width: float = 200) -> Drawing:
    register()
    steps = content.pathway
    height = len(steps) * (BOX_H + GAP)
    d = Drawing(width, height)
    x = (width - BOX_W) / 2
    for i, step in enumerate(steps):
        y = height - (i + 1) * (BOX_H + GAP) + GAP
        d.add(Rect(x, y, BOX_W, BOX_H, rx=6, ry=6, fillColor=colors.HexColor("#f3f1ea"),
                   strokeColor=colors.HexColor("#333333"), strokeWidth=0.8))
        d.add(String(x + BOX_W / 2, y + BOX_H / 2 - 4, plain(parse(step.label)), fontName=BOLD,
                     fontSize=10, textAnchor="middle"))
        if i:
            top = y + BOX_H + GAP
            d.add(Line(width / 2, top, width / 2, y + BOX_H + 5, strokeWidth=1))
            d.add(Polygon([width / 2 - 4, y + BOX_H + 6, width / 2 + 4, y + BOX_H + 6, width / 2, y + BOX_H],
                          fillColor=colors.black, strokeWidth=0))
            if step.shown_in:
                d.add(String(width / 2 + 6, y + BOX_H + GAP / 2 - 3, step.shown_in, fontName=REGULAR, fontSize=7))
    return d


def svg(content: Content) -> str:
    """The diagram as an SVG document (deterministic for the same content)."""
    return renderSVG.drawToString(drawing(content))
