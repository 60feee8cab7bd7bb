"""The mechanism diagram drawn from ``[[pathway]]``: a ReportLab Drawing, also exported as SVG.

Each arrow carries the strongest model that shows its step (cell, mouse or
human).  The model is told by the line pattern and a word beside the arrow,
never by colour alone, so the figure reads the same in grayscale.  Labels
are measured and wrapped so text always stays inside its box.
"""

from __future__ import annotations

from contextlib import contextmanager

from reportlab import rl_config
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, PolyLine, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.model import Content
from generator.record import Record
from generator.render.pdf import svgdom
from generator.render.pdf.fonts import BOLD, ITALIC, REGULAR, register
from generator.render.pdf.styles import ACCENT as ARROW, INK, MUTED
from generator.render.pdf.text import flat, wrap
from generator.render.sorting import ascending

BOX_FILL = colors.HexColor("#f3f1ea")
BOX_EDGE = colors.HexColor("#4a4a4a")


class LineStyle(Record):
    dash: tuple[float, ...] | None
    width: float
    phrase: str  # beside the arrow
    legend: str


MODELS = {
    "human": LineStyle(None, 1.8, "shown in humans", "humans"),
    "mouse": LineStyle((5, 2.5), 1.3, "shown in mice", "mice"),
    "cell": LineStyle((0.1, 2.6), 1.5, "shown in cells", "cells in culture"),
    None: LineStyle((0.1, 5), 1.0, "model not stated", "no model stated"),
}

BOX_PAD = 7
LABEL_SIZES = (10.5, 10, 9.5, 9, 8.5, 8)
GAP = 30  # vertical room for an arrow between two rows
DETAIL_SIZE, DETAIL_LEAD = 8.6, 11.2
LABEL_FONT, DETAIL_FONT = BOLD, REGULAR  # the explainer's glyph check asks these faces
PHRASE_SIZE = 7.5
LEGEND_SIZE = 8
SAMPLE_W = 26  # length of a legend's line sample


def _label(text: str, width: float) -> tuple[float, list[str]]:
    """The largest label size that fits in two lines, else the smallest size with as many lines as needed."""
    for size in LABEL_SIZES:
        lines = wrap(text, LABEL_FONT, size, width)
        if len(lines) <= 2:
            return size, lines
    return LABEL_SIZES[-1], wrap(text, LABEL_FONT, LABEL_SIZES[-1], width)


def _box(label: str, box_w: float) -> tuple[float, list[str], float]:
    """Label size, label lines and height of a step's box."""
    size, lines = _label(label, box_w - 2 * BOX_PAD)
    return size, lines, max(len(lines) * size * 1.2 + 2 * BOX_PAD, 30)


def box_height(content: Content, index: int, width: float) -> float:
    """Height of step ``index``'s box in the detailed drawing ``width`` wide."""
    numbers = {r.id: n for n, r in enumerate(content.references, 1)}
    return _box(flat(content.pathway[index].label, numbers), min(180.0, width * 0.37))[2]


def _arrow(d: Drawing, x: float, y_from: float, y_to: float, model: str | None) -> None:
    style = MODELS[model]
    head = 6
    d.add(_line(x, y_from, x, y_to + head - 0.5, style))
    d.add(Polygon([x - 3.5, y_to + head, x + 3.5, y_to + head, x, y_to], fillColor=ARROW, strokeColor=ARROW,
                  strokeWidth=0.5))


def _legend(models: list[str | None], width: float) -> tuple[list[str], list[list[tuple[float, str | None]]]]:
    """Caption lines and rows of (x, model) entries that fit ``width``."""
    caption = wrap("Each arrow shows the strongest kind of study behind that step:", ITALIC, LEGEND_SIZE, width)
    rows: list[list[tuple[float, str | None]]] = [[]]
    x = 0.0
    for model in models:
        w = SAMPLE_W + 5 + stringWidth(MODELS[model].legend, REGULAR, LEGEND_SIZE)
        if rows[-1] and x + w > width:
            rows.append([])
            x = 0.0
        rows[-1].append((x, model))
        x += w + 16
    return caption, rows


def _line(x1: float, y1: float, x2: float, y2: float, style: LineStyle) -> PolyLine:
    # An open PolyLine, not a Line: the SVG export closes a Line's path, and the stroke
    # running back over it fills the gaps of a dash pattern.
    return PolyLine([x1, y1, x2, y2], strokeColor=ARROW, strokeWidth=style.width, fillColor=None,
                    strokeDashArray=list(style.dash) if style.dash else None, strokeLineCap=1)


def _sample(d: Drawing, x: float, y: float, model: str | None) -> None:
    style = MODELS[model]
    d.add(_line(x, y + 3, x + SAMPLE_W, y + 3, style))
    d.add(String(x + SAMPLE_W + 5, y, style.legend, fontName=REGULAR, fontSize=LEGEND_SIZE, fillColor=INK))


def drawing(content: Content, width: float = 230, details: bool = False,
            part: tuple[int, int] | None = None) -> Drawing:
    """The pathway as boxes joined by arrows.  With ``details``, each step's
    detail and reference numbers stand beside its box (for the PDF page).

    ``part`` (start, stop) draws only those steps, for a pathway too long for one
    page: a part after the first opens with the arrow into its first step, and
    only the last part carries the legend.
    """
    with unchecked():
        return _drawing(content, width, details, part)


@contextmanager
def unchecked():
    """ReportLab's checks of every attribute a shape is given (or a renderer sets) against the
    shape's declared types left out: they cost more than making and drawing the shapes.  This
    module gives shapes numbers, strings and colours only, and a diagram made and drawn with
    the checks is the same (tests/test_explainer_speed.py)."""
    checking = rl_config.shapeChecking
    rl_config.shapeChecking = 0
    try:
        yield
    finally:
        rl_config.shapeChecking = checking


def _drawing(content: Content, width: float, details: bool, part: tuple[int, int] | None) -> Drawing:
    register()
    start, stop = part or (0, len(content.pathway))
    steps = content.pathway[start:stop]
    lead_in = start > 0
    numbers = {r.id: n for n, r in enumerate(content.references, 1)}
    box_w = min(180.0, width * 0.37) if details else min(width - 8, 190.0)
    box_x = 0 if details else (width - box_w) / 2
    text_x = box_w + 18
    rows = []
    for step in steps:
        size, lines, box_h = _box(flat(step.label, numbers), box_w)
        detail: list[str] = []
        if details:
            text = flat(step.detail, numbers)
            cited = ", ".join(str(numbers[r]) for r in ascending(step.refs, numbers) if r in numbers)
            detail = wrap(text + (f" [{cited}]" if cited else ""), DETAIL_FONT, DETAIL_SIZE, width - text_x)
        rows.append((step, size, lines, box_h, detail, max(box_h, len(detail) * DETAIL_LEAD)))
    used = {step.shown_in for step in content.pathway[1:]}
    shown = [m for m in ("human", "mouse", "cell", None) if m is not None or m in used]
    last = stop >= len(content.pathway)
    # On its own (the deck's image) the legend lines up with the boxes, away from the image's edge.
    legend_x = 0 if details else box_x
    caption, legend = _legend(shown, width - 2 * legend_x) if len(content.pathway) > 1 and last else ([], [])
    legend_h = (len(caption) * 10.5 + len(legend) * 13 + 10) if legend else 0
    height = sum(row[-1] for row in rows) + GAP * max(len(rows) - 1 + lead_in, 0) + legend_h
    d = Drawing(width, height, initialFontName=REGULAR, initialFontSize=DETAIL_SIZE)  # not Helvetica
    top = height
    previous_bottom = None
    if lead_in:  # the arrow from the step that ends the previous part
        previous_bottom = top
        top -= GAP
    cx = box_x + box_w / 2
    for step, size, lines, box_h, detail, row_h in rows:
        if previous_bottom is not None:
            _arrow(d, cx, previous_bottom, top, step.shown_in)
            d.add(String(cx + 8, (previous_bottom + top) / 2 - 2.5, MODELS[step.shown_in].phrase,
                         fontName=ITALIC, fontSize=PHRASE_SIZE, fillColor=MUTED))
        box_y = top - box_h
        d.add(Rect(box_x, box_y, box_w, box_h, rx=5, ry=5, fillColor=BOX_FILL, strokeColor=BOX_EDGE,
                   strokeWidth=0.8))
        lead = size * 1.2
        first = box_y + box_h / 2 + len(lines) * lead / 2 - size * 0.92
        for k, line in enumerate(lines):
            d.add(String(cx, first - k * lead, line, fontName=LABEL_FONT, fontSize=size, textAnchor="middle",
                         fillColor=INK))
        # A short detail sits level with the middle of its box.
        drop = max(box_h - len(detail) * DETAIL_LEAD, 0) / 2 + 1
        for k, line in enumerate(detail):
            d.add(String(text_x, top - drop - DETAIL_SIZE - k * DETAIL_LEAD, line, fontName=DETAIL_FONT,
                         fontSize=DETAIL_SIZE, fillColor=INK))
        previous_bottom = box_y
        top -= row_h + GAP
    y = legend_h - 10 - LEGEND_SIZE
    for line in caption:
        d.add(String(legend_x, y, line, fontName=ITALIC, fontSize=LEGEND_SIZE, fillColor=MUTED))
        y -= 10.5
    for entries in legend:
        y -= 2.5
        for x, model in entries:
            _sample(d, legend_x + x, y, model)
        y -= 10.5
    return d


def svg(content: Content) -> str:
    """The diagram as an SVG document (deterministic for the same content)."""
    with unchecked(), svgdom.used():
        return renderSVG.drawToString(drawing(content))


_drawn: list[tuple[tuple, str]] = []  # the last diagram made: what it shows, and its SVG


def svg_with_fonts(content: Content) -> str:
    """``svg`` carrying the subsets of the fonts it uses, for showing outside the PDF
    (generator.render.pdf.svg_fonts).  The deck's media and the HTML edition share it, and
    it is made again only when what it shows changed: the steps, and the references' order
    for their numbers (``watch`` reloads the content after every edit; copies of an article
    in a batch show the same diagram)."""
    from generator.render.pdf.svg_fonts import embed_fonts

    shows = (content.pathway, [r.id for r in content.references])
    if not (_drawn and _drawn[0][0] == shows):
        _drawn[:] = [(shows, embed_fonts(svg(content)))]
    return _drawn[0][1]
