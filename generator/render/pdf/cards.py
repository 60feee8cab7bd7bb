"""Printable duplex flashcards: fronts on odd pages, backs mirrored on the even page after.

For long-edge duplex printing (the usual setting for portrait pages) the back
of the card in row r, column c sits in row r, column cols - 1 - c; for
short-edge printing in row rows - 1 - r, column c.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from generator import __version__, buildkey
from generator.errors import RenderError
from generator.inline import Cloze, parse, plain
from generator.load import texts
from generator.model import Document
from generator.render import FORMATS, Options, release_time
from generator.render.markup import paragraphs, to_reportlab
from generator.render.pdf.doc import date_pdf, record_key
from generator.render.pdf.fonts import REGULAR, check_glyphs, register
from generator.render.pdf.styles import PAGE_SIZES
from generator.render.pdf.text import clip, esc
from generator.study import StudyCard, study_cards

SHEET_MARGIN = 10 * mm  # home printers cannot print to the edge
PADDING = 5 * mm
LABEL_SIZE = 5.5
SOURCE_SIZE = 6.0  # the back's source line: readable, yet clearly apart from the answer
MAX_SIZE, MIN_SIZE = 13.0, 7.0
TICK = 4 * mm


@dataclass(frozen=True)
class Grid:
    cols: int
    rows: int
    width: float  # one card
    height: float
    left: float  # lower-left corner of the whole grid
    bottom: float

    def slot(self, index: int, back: bool, duplex: str) -> tuple[float, float]:
        """Lower-left corner of slot ``index`` on a front page, or of its mirror on the back page."""
        row, col = divmod(index, self.cols)
        if back and duplex == "long":
            col = self.cols - 1 - col
        elif back and duplex == "short":
            row = self.rows - 1 - row
        return self.left + col * self.width, self.bottom + (self.rows - 1 - row) * self.height


def grid(page: tuple[float, float], per_page: int) -> Grid:
    width, height = page
    usable_w, usable_h = width - 2 * SHEET_MARGIN, height - 2 * SHEET_MARGIN
    # Columns chosen so cards come out closest to the page's own proportions (8 -> 2 x 4).
    cols = max(1, min(per_page, round(math.sqrt(per_page * usable_w / usable_h))))
    rows = math.ceil(per_page / cols)
    return Grid(cols, rows, usable_w / cols, usable_h / rows, SHEET_MARGIN, SHEET_MARGIN)


def _face(card: StudyCard, back: bool, cite) -> str:
    """ReportLab markup for one side of a card; citations read as on the deck's cards."""
    if card.kind != "cloze":
        text = card.back if back else card.front
        return "<br/><br/>".join(to_reportlab(p, cite=cite) for p in paragraphs(text))

    def deletion(node: Cloze, inner: str) -> str:
        if node.number != card.cloze:
            return inner
        if back:
            return f"<b>{inner}</b>"
        return "[" + (esc(node.hint) if node.hint else "…") + "]"  # Anki shows a hint as plain text

    body = to_reportlab(parse(card.front, cloze=True), cite=cite, cloze=deletion)
    if back and card.extra:
        body += "<br/><br/>" + to_reportlab(card.extra, cite=cite)
    return body


def _fit(markup: str, width: float, height: float, card: StudyCard) -> tuple[Paragraph, float]:
    """The largest size from MAX_SIZE down to MIN_SIZE at which the text fits its box."""
    size = MAX_SIZE
    while size >= MIN_SIZE:
        style = ParagraphStyle("card", fontName=REGULAR, fontSize=size, leading=size * 1.25,
                               alignment=TA_CENTER, splitLongWords=True)
        para = Paragraph(markup, style)
        _, used = para.wrap(width, height)
        if used <= height:  # splitLongWords breaks words wider than the card
            return para, used
        size -= 0.5
    raise RenderError(f"card {card.label!r} is too long to fit a printed card at {MIN_SIZE:g} pt; "
                      "shorten it or print fewer cards per page (--cards-per-page)")


def _source(card: StudyCard, width: float) -> tuple[Paragraph | None, float]:
    """The back's short source line (grading, references) in small grey type, as on the deck's back."""
    if not card.source:
        return None, 0.0
    style = ParagraphStyle("source", fontName=REGULAR, fontSize=SOURCE_SIZE, leading=SOURCE_SIZE * 1.25,
                           alignment=TA_CENTER, textColor=colors.HexColor("#555555"), splitLongWords=True)
    para = Paragraph(esc(card.source), style)
    return para, para.wrap(width, 1e6)[1] + SOURCE_SIZE * 0.6


def _draw_card(canvas: Canvas, g: Grid, x: float, y: float, card: StudyCard, back: bool, deck: str,
               cite) -> None:
    inner_w = g.width - 2 * PADDING
    source, source_h = _source(card, inner_w) if back else (None, 0.0)
    bottom = y + PADDING + LABEL_SIZE * 1.6
    inner_h = g.height - 2 * PADDING - LABEL_SIZE * 1.6 - source_h
    para, used = _fit(_face(card, back, cite), inner_w, inner_h, card)
    top_of_text = bottom + source_h + (inner_h + used) / 2
    para.drawOn(canvas, x + PADDING, top_of_text - used)
    if source:
        source.drawOn(canvas, x + PADDING, bottom)
    label, edge = _edge_line(plain(parse(card.label)), f"{deck} · {'answer' if back else 'question'}",
                             g.width - 2 * PADDING)
    canvas.setFont(REGULAR, LABEL_SIZE)
    canvas.setFillColor(colors.HexColor("#666666"))
    canvas.drawString(x + PADDING, y + PADDING * 0.6, label)
    canvas.drawRightString(x + g.width - PADDING, y + PADDING * 0.6, edge)
    canvas.setFillColor(colors.black)


def _edge_line(label: str, deck: str, width: float) -> tuple[str, str]:
    """The card id (left) and deck name (right), shortened so together they fit one line."""
    gap = 3 * mm
    deck = clip(deck, REGULAR, LABEL_SIZE, width * 0.55)
    return clip(label, REGULAR, LABEL_SIZE, width - gap - stringWidth(deck, REGULAR, LABEL_SIZE)), deck


def _crop_marks(canvas: Canvas, g: Grid, page: tuple[float, float]) -> None:
    """Short ticks in the sheet margin at every cut line; the cards themselves stay clean."""
    canvas.setStrokeColor(colors.HexColor("#888888"))
    canvas.setLineWidth(0.3)
    top, right = g.bottom + g.rows * g.height, g.left + g.cols * g.width
    for c in range(g.cols + 1):
        x = g.left + c * g.width
        canvas.line(x, g.bottom - 1 * mm, x, g.bottom - 1 * mm - TICK)
        canvas.line(x, top + 1 * mm, x, top + 1 * mm + TICK)
    for r in range(g.rows + 1):
        y = g.bottom + r * g.height
        canvas.line(g.left - 1 * mm, y, g.left - 1 * mm - TICK, y)
        canvas.line(right + 1 * mm, y, right + 1 * mm + TICK, y)


def render(doc: Document, options: Options) -> bytes:
    register()
    content = doc.content
    cards = study_cards(content)
    check_glyphs(doc.path, [("article.deck", content.article.deck),
                            *((w, t) for w, t in texts(content) if w.startswith(("cards", "glossary"))),
                            *((f"the source line of card {c.label!r}", c.source) for c in cards)])
    page = PAGE_SIZES[options.page_size]
    g = grid(page, options.cards_per_page)
    deck = plain(parse(content.article.deck))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page, invariant=1, initialFontName=REGULAR, pageCompression=1)
    canvas.setTitle(f"{plain(parse(content.article.title))}: flashcards")
    canvas.setAuthor(content.article.editor or "studygen")
    canvas.setSubject(f"Printable flashcards for the deck {deck}")
    canvas.setCreator(f"studygen {__version__}")
    date_pdf(canvas, release_time(content.article.version))
    record_key(canvas, buildkey.key(doc, FORMATS["cards"], options))
    per_page = options.cards_per_page
    refs = {r.id: r for r in content.references}

    def cite(ref_id: str) -> str:
        return esc(f"({refs[ref_id].short})")

    if not cards:  # still a valid, printable PDF: an empty one is not
        canvas.setFont(REGULAR, 12)
        canvas.drawCentredString(page[0] / 2, page[1] / 2, f"{deck}: this content has no cards yet.")
        canvas.showPage()
    try:
        for start in range(0, len(cards), per_page):
            batch = cards[start:start + per_page]
            for back in (False, True):
                _crop_marks(canvas, g, page)
                for index, card in enumerate(batch):
                    x, y = g.slot(index, back, options.duplex)
                    _draw_card(canvas, g, x, y, card, back, deck, cite)
                canvas.showPage()
    except RenderError as error:
        raise RenderError(f"{doc.path}: {error}") from None
    canvas.save()
    return buffer.getvalue()
