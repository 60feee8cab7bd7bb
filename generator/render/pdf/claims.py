"""The claim-by-claim evidence table and its legend of verdict marks."""

from __future__ import annotations

from typing import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table

from generator.model import Content
from generator.render.pdf.blocks import PAD, Marked, VerdictMark, table
from generator.render.pdf.fonts import BOLD
from generator.render.pdf.para import Paragraph
from generator.render.pdf.styles import (EVIDENCE_WORDS, INK, PANEL, RULE, VERDICT_MEANINGS, VERDICT_TINTS,
                                         VERDICT_WORDS, styles)
from generator.render.pdf.text import esc
from generator.render.sorting import ascending


def verdict_legend(width: float, limit: float, counts: dict[str, int] | None = None) -> Table:
    """The verdict marks and what each means; with ``counts``, how many claims have each."""
    s = styles()

    def count(v: str) -> str:
        if counts is None:
            return ""
        return f" ({counts.get(v, 0)} claim{'' if counts.get(v, 0) == 1 else 's'})"

    cells = [Marked(VerdictMark(v), Paragraph(f"<b>{VERDICT_WORDS[v]}{count(v)}</b>: {esc(VERDICT_MEANINGS[v])}",
                                              s["legend"]))
             for v in VERDICT_WORDS]
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    t = table(rows, [width / 2] * 2, [("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                                      ("LEFTPADDING", (0, 0), (0, -1), 0)], limit=limit)
    t.spaceAfter = 8
    return t


def evidence_table(content: Content, width: float, limit: float, rich: Callable[[str], str],
                   number: Callable[[str], str]) -> Table:
    """One row per claim; ``rich`` turns inline markup into paragraph XML, ``number`` a
    reference id into its linked number."""
    s = styles()
    numbers = {r.id: n for n, r in enumerate(content.references, 1)}
    head = ["The article says", "Verdict", "Evidence", "What the evidence shows", "Refs"]
    rows: list[list] = [[Paragraph(esc(h), s["cellhead"]) for h in head]]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), PANEL),
        ("LINEABOVE", (0, 0), (-1, 0), 1, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.7, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 1, INK),
    ]
    for i, claim in enumerate(content.claims, 1):
        statement = [Paragraph(rich(claim.statement), s["cell"])]
        if claim.note:
            statement.append(Paragraph(rich(claim.note), s["cellnote"]))
        refs = ", ".join(number(r) for r in ascending(claim.refs, numbers))
        rows.append([
            Paragraph("“" + esc(claim.quote) + "”", s["cell"]),
            Marked(VerdictMark(claim.verdict), Paragraph(esc(VERDICT_WORDS[claim.verdict]), s["cellhead"])),
            Paragraph(esc(EVIDENCE_WORDS[claim.evidence]), s["celllabel"]),
            statement,
            Paragraph(refs, s["cell"]),
        ])
        commands.append(("BACKGROUND", (1, i), (1, i), VERDICT_TINTS[claim.verdict]))
    # Verdict and evidence columns are as wide as their longest word needs; the text columns share the rest.
    cell, head_style = s["cell"], s["cellhead"]
    verdict_w = max(stringWidth(w, head_style.fontName, head_style.fontSize) for w in VERDICT_WORDS.values())
    verdict_w += VerdictMark.SIZE + Marked.GAP + 2 * PAD + 1
    evidence_w = max(stringWidth(word, cell.fontName, cell.fontSize)
                     for words in list(EVIDENCE_WORDS.values()) + ["Evidence"] for word in words.split())
    evidence_w += 2 * PAD + 1
    # The numbers column is as wide as its widest line needs, up to three numbers a line.
    refs_w = max([stringWidth("Refs", head_style.fontName, head_style.fontSize)]
                 + [stringWidth(", ".join(str(numbers[r]) for r in ascending(c.refs, numbers)[:3]) + ",",
                                cell.fontName, cell.fontSize) for c in content.claims])
    refs_w = min(refs_w + 2 * PAD + 1, width * 0.12)
    text_w = width - verdict_w - evidence_w - refs_w
    widths = [text_w * 0.4, verdict_w, evidence_w, text_w * 0.6, refs_w]
    # A tall row may continue on the next page (under the repeated header) when at least
    # three lines of it fit on the first, rather than leave a page part empty; widow and
    # orphan control keeps two lines of each of its paragraphs on either page.
    return table(rows, widths, commands, limit=limit, header=1, split_rows=3 * cell.leading + 2 * PAD)


class VerdictBar(Flowable):
    """Evidence at a glance: one bar split by verdict, in proportion to the claims.

    Each part carries its drawn mark, and its count where it fits; the verdict
    legend right below names each part by mark, word and count, so the tints
    are never the only way to tell the parts apart.
    """

    BAR_H = 16
    GAP = 1.5  # white between parts, so the parts stay apart in grayscale
    LABEL_SIZE = 8.5

    def __init__(self, counts: list[tuple[str, int]], width: float):
        super().__init__()
        self.counts = [(v, n) for v, n in counts if n]
        self.total = sum(n for _, n in self.counts)
        self.width = width
        self.height = self.BAR_H
        self.spaceAfter = 7

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def parts(self) -> list[tuple[str, int, float, float]]:
        """(verdict, count, x, width) of each part of the bar."""
        out, x = [], 0.0
        for verdict, count in self.counts:
            w = self.width * count / self.total
            out.append((verdict, count, x, w))
            x += w
        return out

    def draw(self):
        c = self.canv
        c.saveState()
        for verdict, count, x, w in self.parts():
            room = max(w - self.GAP, 0.5)
            c.setFillColor(VERDICT_TINTS[verdict])
            c.setStrokeColor(INK)
            c.setLineWidth(0.6)
            c.rect(x, 0, room, self.BAR_H, stroke=1, fill=1)
            mark = VerdictMark(verdict)
            label = str(count)
            inner = mark.width + Marked.GAP + stringWidth(label, BOLD, self.LABEL_SIZE)
            mark_y = (self.BAR_H - mark.height) / 2
            if inner + 6 <= room:
                start = x + (room - inner) / 2
                mark.drawOn(c, start, mark_y)
                c.setFillColor(INK)
                c.setFont(BOLD, self.LABEL_SIZE)
                c.drawString(start + mark.width + Marked.GAP, (self.BAR_H - self.LABEL_SIZE) / 2 + 1.3, label)
            elif mark.width + 2 <= room:
                mark.drawOn(c, x + (room - mark.width) / 2, mark_y)
        c.restoreState()
