"""Flowables the explainer is made of beyond plain paragraphs: paragraphs and lists
of prose, verdict marks, boxed panels and tables whose rows stay whole unless a row
is taller than a page."""

from __future__ import annotations

from typing import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from generator.prose import ListBlock, blocks
from generator.render.pdf.fonts import REGULAR
from generator.render.pdf.para import Paragraph
from generator.render.pdf.styles import INK

PAD = 5  # cell padding in points


class VerdictMark(Flowable):
    """A drawn mark per verdict (✓ ~ ▲ ✗).  The serif font has no check or
    ballot glyphs, and drawn marks print the same in grayscale."""

    SIZE = 7.5

    def __init__(self, verdict: str, size: float = SIZE):
        super().__init__()
        self.verdict = verdict
        self.width = self.height = size

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        c, s = self.canv, self.width
        c.saveState()
        c.setStrokeColor(INK)
        c.setFillColor(INK)
        c.setLineWidth(1.3)
        c.setLineCap(1)
        c.setLineJoin(1)
        path = c.beginPath()
        if self.verdict == "supported":
            path.moveTo(0.05 * s, 0.5 * s)
            path.lineTo(0.38 * s, 0.12 * s)
            path.lineTo(0.98 * s, 0.95 * s)
            c.drawPath(path, stroke=1, fill=0)
        elif self.verdict == "imprecise":
            path.moveTo(0, 0.38 * s)
            path.curveTo(0.18 * s, 0.78 * s, 0.34 * s, 0.78 * s, 0.5 * s, 0.5 * s)
            path.curveTo(0.66 * s, 0.22 * s, 0.82 * s, 0.22 * s, s, 0.62 * s)
            c.drawPath(path, stroke=1, fill=0)
        elif self.verdict == "overstated":
            path.moveTo(0, 0.05 * s)
            path.lineTo(s, 0.05 * s)
            path.lineTo(0.5 * s, 0.95 * s)
            path.close()
            c.setLineWidth(0.5)
            c.drawPath(path, stroke=1, fill=1)
        else:
            c.line(0.1 * s, 0.1 * s, 0.9 * s, 0.9 * s)
            c.line(0.1 * s, 0.9 * s, 0.9 * s, 0.1 * s)
        c.restoreState()


class Marked(Flowable):
    """A mark beside a paragraph, the mark level with the paragraph's first line."""

    GAP = 4

    def __init__(self, mark: Flowable, para, gap: float = GAP):
        super().__init__()
        self.mark, self.para, self.gap = mark, para, gap

    def wrap(self, availWidth, availHeight):
        mw, mh = self.mark.wrap(availWidth, availHeight)
        pw, ph = self.para.wrap(max(availWidth - mw - self.gap, 1), availHeight)
        self._ph = ph
        self.width, self.height = availWidth, max(ph, mh)
        return self.width, self.height

    def draw(self):
        style = self.para.style
        baseline = self.height - style.fontSize  # ReportLab sets the first line one font size down
        self.mark.drawOn(self.canv, 0, baseline - 0.5)
        self.para.drawOn(self.canv, self.mark.width + self.gap, self.height - self._ph)


class Outlined:
    """Keeps the ``outline`` entry on the first part when a flowable splits."""

    outline = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.outline = None
        if parts:
            parts[0].outline = self.outline
        return parts


class Panel(Outlined, Table):
    pass


def _height(cell, width: float) -> float:
    cells = cell if isinstance(cell, (list, tuple)) else [cell]
    total = 0.0
    for flowable in cells:
        _, h = flowable.wrap(width, 1e6)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def table(rows: list[list], widths: list[float], commands: list, *, limit: float, header: int = 0,
          cls: type[Table] = Table, padding: float = PAD, split_rows: float = 0) -> Table:
    """A table whose rows never split, unless one is taller than ``limit`` (a page's
    text height): then splitting inside rows is the only way to print it.

    With ``split_rows`` (points), a row may also continue on the next page when at
    least that much of it fits on the first, so tall rows fill pages."""
    t = cls(rows, colWidths=widths, repeatRows=header, splitByRow=0 if split_rows else 1)
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # a table's own default font is Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding), ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ] + commands))
    # Each cell is measured at the width the table gives it (its own side paddings), so the
    # table's layout finds its paragraphs broken into lines already.
    heights = [max(_height(cell, w - cs.leftPadding - cs.rightPadding) for cell, w, cs in zip(row, widths, styles))
               + 2 * padding for row, styles in zip(rows, t._cellStyles)]
    head = sum(heights[:header])
    too_tall = any(head + h > limit for h in heights[header:])
    # ReportLab reads splitInRow > 1 as the least height of each part of a split row, and
    # tries a split inside a row first only when splitByRow is off (else only when no row fits).
    t.splitInRow = 1 if too_tall else split_rows
    t.estimated_heights = heights  # for deciding where a page should break before the table
    return t


def panel(flowables: list, width: float, *, fill, edge, limit: float, outline=None, padding: float = 9) -> Panel:
    """A tinted box with a bar on its left; each flowable is one row so the box can break between them."""
    rows = [[f] for f in flowables]
    # Rows sit close together; only the box's outer edges get the full padding.
    commands = [("BACKGROUND", (0, 0), (-1, -1), fill), ("LINEBEFORE", (0, 0), (0, -1), 2.5, edge),
                ("LEFTPADDING", (0, 0), (-1, -1), padding + 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, 0), padding), ("BOTTOMPADDING", (0, -1), (-1, -1), padding)]
    t = table(rows, [width], commands, limit=limit, cls=Panel, padding=padding)
    t.outline = outline
    return t



def prose(text: str, rich: Callable[[str], str], style: ParagraphStyle, item: ParagraphStyle,
          lead: str = "", more: ParagraphStyle | None = None) -> list[Flowable]:
    """The paragraphs and lists of ``text`` (generator.prose) as flowables; a list is a run of
    bullet paragraphs, so it breaks across pages like text.  ``lead`` (paragraph XML, such
    as a glossary term) starts the first paragraph, or stands alone before a list; ``more``
    styles the paragraphs after the first (default ``style``)."""
    out: list[Flowable] = []
    found = blocks(text)
    if lead and (not found or isinstance(found[0], ListBlock)):
        out.append(Paragraph(lead, style))
        lead = ""
    for block in found:
        if isinstance(block, ListBlock):
            last = len(block.items) - 1
            for n, unit in enumerate(block.items):
                bullet = f"{block.start + n}." if block.ordered else "•"
                # The list as a whole keeps the space a paragraph leaves after it.
                item_style = item if n < last else ParagraphStyle(f"{item.name}-last", item,
                                                                  spaceAfter=style.spaceAfter)
                out.append(Paragraph(rich(unit), item_style, bulletText=bullet))
        else:
            out.append(Paragraph(f"{lead}{rich(block.text)}", style if not out else more or style))
            lead = ""
    return out
