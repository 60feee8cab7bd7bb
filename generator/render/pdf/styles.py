"""Page geometry, colours and paragraph styles of the PDF explainer."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from generator.render.pdf.fonts import BOLD, ITALIC, REGULAR
from generator.render.pdf.para import hyphenate
from generator.render.verdicts import EVIDENCE_WORDS, VERDICT_MEANINGS, VERDICT_WORDS  # noqa: F401 (re-exported)

PAGE_SIZES = {"a4": A4, "letter": LETTER}
# Nothing is printed in this band: home printers cannot reach the paper's edge.
MARGIN = 20 * mm
HEAD_BAND = 24  # points at the top of the type area for the running head (pages 2 onwards)
FOOT_BAND = 26  # points at the bottom of the type area for the footer

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5a5a5a")
ACCENT = colors.HexColor("#1f4e79")
LINK = colors.HexColor("#1f4e79")
RULE = colors.HexColor("#b8b8b8")
PANEL = colors.HexColor("#eef3f8")
NOTICE = colors.HexColor("#f6f4ee")
NOTICE_EDGE = colors.HexColor("#8c7a4f")

# Verdicts are also told apart by mark and word; the tints only help on screen.
VERDICT_TINTS = {
    "supported": colors.HexColor("#e3f1e3"),
    "imprecise": colors.HexColor("#fbf1d6"),
    "overstated": colors.HexColor("#fbe3cf"),
    "unsupported": colors.HexColor("#f6dada"),
}
@lru_cache(maxsize=None)
def styles() -> dict[str, ParagraphStyle]:
    # Hyphenation keeps justified lines even where a long word would move whole, and URLs
    # break where a line would run more than a third empty.  No paragraph leaves a single
    # line alone at a page's top or bottom.
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=15, alignment=TA_JUSTIFY,
                          textColor=INK, spaceAfter=7, splitLongWords=1, bulletFontName=REGULAR,
                          hyphenationLang=hyphenate, embeddedHyphenation=0, uriWasteReduce=0.3,
                          allowWidows=0, allowOrphans=0)
    heading = ParagraphStyle("heading", body, hyphenationLang="", uriWasteReduce=0)  # breaks between words
    cell = ParagraphStyle("cell", body, fontSize=8, leading=10, alignment=TA_LEFT, spaceAfter=0)
    small = ParagraphStyle("small", body, fontSize=9, leading=12.5, alignment=TA_LEFT, spaceAfter=4)
    return {
        "body": body,
        # Run-in bold quotes followed by justified text leave wide gaps; such sections align left.
        "bodyleft": ParagraphStyle("bodyleft", body, alignment=TA_LEFT),
        "kicker": ParagraphStyle("kicker", heading, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=4,
                                 alignment=TA_LEFT),
        "title": ParagraphStyle("title", heading, fontName=BOLD, fontSize=23, leading=28, textColor=ACCENT,
                                alignment=TA_LEFT, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", heading, fontName=ITALIC, fontSize=12.5, leading=17,
                                   textColor=MUTED, alignment=TA_LEFT, spaceAfter=10),
        "summary": ParagraphStyle("summary", heading, fontSize=11.5, leading=16.5, alignment=TA_LEFT,
                                  spaceBefore=8, spaceAfter=12),
        "h1": ParagraphStyle("h1", heading, fontName=BOLD, fontSize=14.5, leading=19, textColor=ACCENT,
                             alignment=TA_LEFT, spaceBefore=16, spaceAfter=7, keepWithNext=1),
        "panelhead": ParagraphStyle("panelhead", heading, fontName=BOLD, fontSize=11.5, leading=15,
                                    textColor=ACCENT, alignment=TA_LEFT, spaceAfter=0),
        "takeaway": ParagraphStyle("takeaway", body, fontSize=10.5, leading=14.5, alignment=TA_LEFT,
                                   leftIndent=16, bulletIndent=0, bulletFontName=BOLD, bulletFontSize=10.5, spaceAfter=0,
                                   bulletColor=ACCENT),
        "notice": ParagraphStyle("notice", small, fontName=ITALIC, textColor=INK, spaceAfter=0),
        "cell": cell,
        "cellhead": ParagraphStyle("cellhead", cell, fontName=BOLD, textColor=INK, hyphenationLang=""),
        # Short labels (verdict, evidence level) break between words only.
        "celllabel": ParagraphStyle("celllabel", cell, hyphenationLang=""),
        "cellnote": ParagraphStyle("cellnote", cell, fontName=ITALIC, fontSize=7.5, leading=9.5,
                                   textColor=MUTED, spaceBefore=2),
        "legend": ParagraphStyle("legend", cell, fontSize=8, leading=10.5, hyphenationLang=""),
        "glossary": ParagraphStyle("glossary", body, alignment=TA_LEFT, leftIndent=14, firstLineIndent=-14,
                                   spaceAfter=5),
        # Paragraphs and list items after the first line of a glossary entry, under its hanging indent.
        "glossarymore": ParagraphStyle("glossarymore", body, alignment=TA_LEFT, leftIndent=14, spaceAfter=5),
        "item": ParagraphStyle("item", body, leftIndent=18, bulletIndent=5, spaceAfter=2.5),
        "glossaryitem": ParagraphStyle("glossaryitem", body, alignment=TA_LEFT, leftIndent=32, bulletIndent=19,
                                       spaceAfter=2.5),
        "reference": ParagraphStyle("reference", small, leftIndent=22, bulletIndent=0, bulletFontSize=9,
                                    spaceAfter=5),
        "toc": ParagraphStyle("toc", heading, alignment=TA_LEFT, fontSize=10, leading=14.5, rightIndent=28,
                              spaceAfter=0),
    }
