"""The claim-by-claim evidence table and its legend of verdict marks."""

from __future__ import annotations

from typing import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from generator.model import Content
from generator.render.pdf.blocks import PAD, Marked, VerdictMark, table
from generator.render.pdf.styles import (EVIDENCE_WORDS, INK, PANEL, RULE, VERDICT_MEANINGS, VERDICT_TINTS,
                                         VERDICT_WORDS, styles)
from generator.render.pdf.text import esc


def verdict_legend(width: float, limit: float) -> Table:
    s = styles()
    cells = [Marked(VerdictMark(v), Paragraph(f"<b>{VERDICT_WORDS[v]}</b>: {esc(VERDICT_MEANINGS[v])}",
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
        refs = ", ".join(number(r) for r in claim.refs)
        rows.append([
            Paragraph("“" + esc(claim.quote) + "”", s["cell"]),
            Marked(VerdictMark(claim.verdict), Paragraph(esc(VERDICT_WORDS[claim.verdict]), s["cellhead"])),
            Paragraph(esc(EVIDENCE_WORDS[claim.evidence]), s["cell"]),
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
    refs_w = width * 0.1
    text_w = width - verdict_w - evidence_w - refs_w
    widths = [text_w * 0.43, verdict_w, evidence_w, text_w * 0.57, refs_w]
    return table(rows, widths, commands, limit=limit, header=1)
