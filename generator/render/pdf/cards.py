"""Printable duplex flashcards: fronts on odd pages, backs mirrored on the even page after.

For long-edge duplex printing (the usual setting for portrait pages) the back
of the card in row r, column c sits in row r, column cols - 1 - c; for
short-edge printing in row rows - 1 - r, column c.
"""

from __future__ import annotations

import io
import math
import re
import weakref
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from generator import __version__, buildkey
from generator.errors import Problem, RenderError, UsageError
from generator.inline import Cloze, cites, parse, plain
from generator.model import Document
from generator.record import Record
from generator.render import FORMATS, Options, release_time
from generator.render.markup import reportlab_lines, to_reportlab
from generator.render.pdf import accel, faces, halves, lines, pagedicts, serial, widths
from generator.render.pdf import numbers as pdf_numbers
from generator.render.pdf.doc import date_pdf, record_key
from generator.render.pdf.fitting import lines_at_most
from generator.render.pdf.frags import fragments
from generator.render.pdf.numbers import fp_str
from generator.render.pdf.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, glyph_problems, in_paragraph, raise_problems, register
from generator.render.pdf.para import Paragraph
from generator.render.pdf.styles import PAGE_SIZES
from generator.render.pdf.text import clip, esc, flat
from generator.render.settled import settled
from generator.study import StudyCard, study_cards

SHEET_MARGIN = 10 * mm  # home printers cannot print to the edge
PADDING = 5 * mm
LABEL_SIZE = 5.5
SOURCE_SIZE = 6.0  # the back's source line: readable, yet clearly apart from the answer
MAX_SIZE, MIN_SIZE = 13.0, 7.0
TICK = 4 * mm
LABEL_GREY = colors.HexColor("#666666")


class Grid(Record):
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


MAX_ASPECT = 2.5  # longer side over shorter side of one card; narrower strips are no cards


def grid_shape(page: tuple[float, float], per_page: int) -> tuple[int, int] | None:
    """Columns and rows with exactly ``per_page`` slots, or None if no such grid gives cards
    of a usable shape.  Of the exact grids, the one whose cards come closest to the page's
    own proportions (8 -> 2 x 4)."""
    width, height = page
    usable_w, usable_h = width - 2 * SHEET_MARGIN, height - 2 * SHEET_MARGIN
    ideal = math.sqrt(per_page * usable_w / usable_h)
    cols = min((c for c in range(1, per_page + 1) if per_page % c == 0), key=lambda c: abs(math.log(c / ideal)))
    rows = per_page // cols
    w, h = usable_w / cols, usable_h / rows
    return (cols, rows) if max(w, h) / min(w, h) <= MAX_ASPECT else None


def grid_counts(page_size: str, limit: int = 30) -> list[int]:
    """Every number of cards per page, up to ``limit``, that has a grid on this paper."""
    return [n for n in range(1, limit + 1) if grid_shape(PAGE_SIZES[page_size], n)]


def grid(page: tuple[float, float], per_page: int) -> Grid:
    shape = grid_shape(page, per_page)
    if shape is None:
        raise UsageError(f"--cards-per-page {per_page} leaves empty slots or makes strips instead of cards on "
                         f"this paper; use one of {', '.join(map(str, [n for n in range(1, 31) if grid_shape(page, n)]))}")
    cols, rows = shape
    width, height = page
    usable_w, usable_h = width - 2 * SHEET_MARGIN, height - 2 * SHEET_MARGIN
    return Grid(cols, rows, usable_w / cols, usable_h / rows, SHEET_MARGIN, SHEET_MARGIN)


def _parts(card: StudyCard, back: bool, cite, known: dict | None = None) -> list[tuple[str, str]]:
    """One side of a card as (content field, ReportLab markup) pieces; citations read as on the
    deck's cards.  The field is the key under the card's note (``front``, ``text``, ``term``...).
    ``known``: the sides made so far with this ``cite``, by field and text (a reversed note's
    two cards show the same two texts)."""
    names = {"basic": ("front", "back"), "reverse": ("front", "back"), "term": ("term", "definition")}
    if card.kind != "cloze":
        first, second = names[card.kind]
        if card.ordinal == 2:
            first, second = second, first
        text = card.back if back else card.front
        field = second if back else first
        made = known.get((field, text)) if known is not None else None
        if made is None:
            if field == "term":
                made = [(field, to_reportlab(text, cite=cite))]  # one line, as in the explainer and the deck
            else:
                made = [(field, reportlab_lines(text, lambda unit: to_reportlab(unit, cite=cite)))]
            if known is not None:
                known[field, text] = made
        return made

    def deletion(node: Cloze, inner: str) -> str:
        if node.number != card.cloze:
            return inner
        if back:
            return f"<b>{inner}</b>"
        return "[" + (esc(node.hint) if node.hint else "…") + "]"  # Anki shows a hint as plain text

    parts = [("text", reportlab_lines(card.front, lambda unit: to_reportlab(parse(unit, cloze=True), cite=cite,
                                                                          cloze=deletion)))]
    if back and card.extra:
        parts.append(("extra", reportlab_lines(card.extra, lambda unit: to_reportlab(unit, cite=cite))))
    return parts


def _face(card: StudyCard, back: bool, cite) -> str:
    return "<br/><br/>".join(markup for _, markup in _parts(card, back, cite))


def _leading(size: float) -> float:
    return size * 1.25


@lru_cache(maxsize=64)  # one per size: a face's fragments and lines depend on the style's values only
def _style(size: float) -> ParagraphStyle:
    return ParagraphStyle("card", fontName=REGULAR, fontSize=size, leading=_leading(size),
                          alignment=TA_CENTER, splitLongWords=True)


_sizes: dict[tuple[str, float, float], float | None] = {}  # every face measured in this process


# check and build measure the same faces in one process.  A deck of thousands of cards has more
# faces than the bounded cache of paragraphs keeps (keeping them all would cost hundreds of
# megabytes), so the size each face fits at is kept as well, and a face measured before is
# made once more, at that size, rather than tried at every size again.
@lru_cache(maxsize=4096)
def _fitted(markup: str, width: float, height: float) -> tuple[Paragraph, float] | None:
    """The text at the largest size from MAX_SIZE down to MIN_SIZE that fits its box, and its height."""
    key = (markup, width, height)
    size = _sizes.get(key, MAX_SIZE)
    while size is not None and size >= MIN_SIZE:
        para, used = _laid_out(markup, size, width)
        if used <= height:  # splitLongWords breaks words wider than the card
            _sizes[key] = size
            return para, used
        size -= 0.5
    _sizes[key] = None
    return None


# The lines depend on the width alone, so a text met again in a box of another height (a
# reverse card's face, once on the front and once above a source line) is not laid out again.
@lru_cache(maxsize=256)
def _laid_out(markup: str, size: float, width: float) -> tuple[faces.Face | Paragraph, float]:
    style = _style(size)
    face = faces.lay_out(markup, style, width)
    if face is not None:
        return face, face.height
    return _paragraph(markup, style, width)


def _paragraph(markup: str, style: ParagraphStyle, width: float) -> tuple[Paragraph, float]:
    para = Paragraph(markup, style)
    return para, para.wrap(width, 1e6)[1]


def _fit_size(markup: str, width: float, height: float) -> float | None:
    """The largest size from MAX_SIZE down to MIN_SIZE at which the text fits its box."""
    fitted = _fitted(markup, width, height)
    return fitted[0].style.fontSize if fitted else None


def _fits_anyway(markup: str, width: float, height: float) -> bool:
    """Whether the text surely fits its box at MIN_SIZE, known without laying it out."""
    lines = lines_at_most(markup, MIN_SIZE, width)
    return lines is not None and lines * _leading(MIN_SIZE) <= height


def _box(g: Grid, card: StudyCard, back: bool) -> tuple[float, float, Paragraph | None, float]:
    """Width and height of the text box on one side of a card, and the source line below it."""
    inner_w = g.width - 2 * PADDING
    source, source_h = _source(card, inner_w) if back else (None, 0.0)
    return inner_w, g.height - 2 * PADDING - LABEL_SIZE * 1.6 - source_h, source, source_h


def _fit(markup: str, width: float, height: float, card: StudyCard) -> tuple[Paragraph, float]:
    fitted = _fitted(markup, width, height)  # the paragraph that fitted is the one drawn
    if fitted is None:
        raise RenderError(f"card {card.label!r} is too long to fit a printed card at {MIN_SIZE:g} pt; "
                          "shorten it or print fewer cards per page (--cards-per-page)")
    return fitted


def _source(card: StudyCard, width: float) -> tuple[Paragraph | None, float]:
    """The back's short source line (grading, references) in small grey type, as on the deck's back."""
    if not card.source:
        return None, 0.0
    return _source_line(card.source, width)


@lru_cache(maxsize=1)
def _source_style() -> ParagraphStyle:
    return ParagraphStyle("source", fontName=REGULAR, fontSize=SOURCE_SIZE, leading=SOURCE_SIZE * 1.25,
                          alignment=TA_CENTER, textColor=colors.HexColor("#555555"), splitLongWords=True)


@lru_cache(maxsize=None)  # many cards share a source line, and each back is measured in check and build
def _source_line(text: str, width: float) -> tuple[faces.Face | Paragraph, float]:
    # Laid out as a card face is, where faces can (a plain line of text, about a sixth of the
    # time of a Paragraph); drawn by ``_draw`` either way.
    markup, style = esc(text), _source_style()
    face = faces.lay_out(markup, style, width)
    if face is not None:
        return face, face.height + SOURCE_SIZE * 0.6
    para = Paragraph(markup, style)
    return para, para.wrap(width, 1e6)[1] + SOURCE_SIZE * 0.6


def _draw_card(canvas: Canvas, g: Grid, x: float, y: float, card: StudyCard, back: bool, deck: str,
               cite, markups: dict[tuple[StudyCard, bool], str]) -> None:
    inner_w, inner_h, source, source_h = _box(g, card, back)
    bottom = y + PADDING + LABEL_SIZE * 1.6
    face = markups.get((card, back))
    para, used = _fit(_face(card, back, cite) if face is None else face, inner_w, inner_h, card)
    top_of_text = bottom + source_h + (inner_h + used) / 2
    _draw(para, canvas, x + PADDING, top_of_text - used)
    if source:
        _draw(source, canvas, x + PADDING, bottom)
    label, edge = _edge_line(_label(card), _edge(deck, back), g.width - 2 * PADDING)
    canvas.setFont(REGULAR, LABEL_SIZE)
    _fill(canvas, LABEL_GREY)
    _labels(canvas, x + PADDING, x + g.width - PADDING, y + PADDING * 0.6, label, edge)
    _fill(canvas, colors.black)


_RG = {LABEL_GREY: f"{fp_str((LABEL_GREY.red, LABEL_GREY.green, LABEL_GREY.blue))} rg",
       colors.black: f"{fp_str((colors.black.red, colors.black.green, colors.black.blue))} rg"}


def _fill(canvas: Canvas, color: colors.Color) -> None:
    """``canvas.setFillColor(color)`` for an opaque RGB colour (twice on every card): the
    operator is written once per colour, and an opacity the page already has sets nothing."""
    if canvas._enforceColorSpace is None and canvas._extgstate.getValue("ca") == color.alpha:
        canvas._fillColorObj = color
        canvas._code.append(_RG[color])
    else:
        canvas.setFillColor(color)


def _labels(canvas: Canvas, left: float, right: float, y: float, label: str, edge: str) -> None:
    """``canvas.drawString(left, y, label)`` and ``canvas.drawRightString(right, y, edge)``."""
    _text_line(canvas, left, y, label)
    _text_line(canvas, right - _width(edge, canvas._fontname, canvas._fontsize), y, edge)


@lru_cache(maxsize=64)  # every card of a sheet has one of two deck lines
def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


# A line's text operators by (text, font, size, leading), for the document they were written in:
# a character keeps the code its font's subset gave it the first time, so a deck line (on every
# card) or a card id (on its front and back) writes the same operators again.
_written: dict[tuple, tuple[weakref.ref, str]] = {}


def _text_line(canvas: Canvas, x: float, y: float, text: str) -> None:
    """``canvas.drawString(x, y, text)`` in the canvas's font, a TrueType one, written as
    ReportLab's text object writes it without making one (two lines on every card)."""
    doc = canvas._doc
    key = (text, canvas._fontname, canvas._fontsize, canvas._leading)
    known = _written.get(key)
    if known is not None and known[0]() is doc:
        body = known[1]
    else:
        font = getFont(canvas._fontname)
        parts = []
        current = -1
        for subset, chunk in font.splitString(text, doc):
            if subset != current:  # as TextObject._formatText switches subsets
                parts.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(canvas._fontsize)} Tf "
                             f"{fp_str(canvas._leading)} TL")
                current = subset
            parts.append(f"({escapePDF(chunk)}) Tj")
        body = " ".join(parts)
        if len(_written) > 4096:
            _written.clear()
        _written[key] = (weakref.ref(doc), body)
    canvas._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {body} T* ET")


def _draw(para: faces.Face | Paragraph, canvas: Canvas, x: float, y: float) -> None:
    """``para.drawOn(canvas, x, y)``.  What a paragraph draws does not depend on where: drawOn
    moves the origin there first, and a character keeps the code the document's font subset
    gave it the first time.  So a paragraph drawn again on the same document (a source line
    that many cards share, a reverse card's face) repeats what it drew the first time."""
    if para.__class__ is faces.Face:
        if faces.draw(para, canvas, x, y):
            return
        para = _paragraph(para.markup, para.style, para.width)[0]
    doc, code = canvas._doc, canvas._code
    drawn = getattr(para, "_studygen_drawn", None)
    if drawn is not None and drawn[0]() is doc:
        # saveState, translate, the code, restoreState: the canvas's state is as before.
        code.append("q")
        code.append("%s cm" % fp_str(1, 0, 0, 1, x, y))
        code.extend(drawn[1])
        code.append("Q")
        return
    start, beside = len(code), _beside_code(canvas)
    para.drawOn(canvas, x, y)
    # drawOn's own frame: "q", the move to (x, y), what the paragraph drew (itself in q ... Q), "Q".
    # A link is an annotation of the page, not drawn code: a paragraph that made one is drawn anew.
    if len(code) > start + 3 and code[start] == "q" and code[start + 1].endswith(" cm") and code[start + 2] == "q" \
            and code[-1] == "Q" and _beside_code(canvas) == beside:
        para._studygen_drawn = (weakref.ref(doc), code[start + 2:-1])


def _beside_code(canvas: Canvas) -> tuple[int, int]:
    """How many annotations (links) and forms the page has so far: drawing makes them apart
    from the page's code."""
    return len(canvas._annotationrefs), len(canvas._formsinuse)


@lru_cache(maxsize=256)  # a card's id is drawn on its front and on its back
def _line(text: str) -> str:
    """Text for a single drawn line: markup removed, any whitespace (a tab...) one space."""
    return " ".join(plain(parse(text)).split())


def _label(card: StudyCard) -> str:
    return _line(card.label)


def _edge(deck: str, back: bool) -> str:
    return f"{deck} · {'answer' if back else 'question'}"


@lru_cache(maxsize=256)
def _edge_line(label: str, deck: str, width: float) -> tuple[str, str]:
    """The card id (left) and deck name (right), shortened so together they fit one line."""
    deck, room = _deck_edge(deck, width)
    return clip(label, REGULAR, LABEL_SIZE, room), deck


@lru_cache(maxsize=64)  # every card of a sheet has one of two
def _deck_edge(deck: str, width: float) -> tuple[str, float]:
    """The deck name as drawn, and the room it leaves the card id."""
    gap = 3 * mm
    deck = clip(deck, REGULAR, LABEL_SIZE, width * 0.55)
    return deck, width - gap - stringWidth(deck, REGULAR, LABEL_SIZE)


def _keys(content) -> dict[str, str]:
    """Study-card note -> key path of the entry it comes from."""
    keys = {card.id: f"cards[{i}](id={card.id})" for i, card in enumerate(content.cards)}
    keys.update({f"glossary:{g.term}": f"glossary[{i}]" for i, g in enumerate(content.glossary)})
    return keys


def _cite(content):
    refs = {r.id: r for r in content.references}

    @lru_cache(maxsize=None)  # thousands of cards cite the same few references
    def cite(ref_id: str) -> str:
        return esc(f"({refs[ref_id].short})") if ref_id in refs else esc(f"[@{ref_id}]")
    return cite


_checked: list[tuple[Document, Options, list[Problem]]] = []  # the last few checks of this process
# The markup of every face the last few checks made, for the render after the check.
_faces: list[tuple[Document, dict[tuple[StudyCard, bool], str]]] = []


def _faces_of(doc: Document) -> dict[tuple[StudyCard, bool], str]:
    return next((markups for known, markups in _faces if known is doc), {})


def check(doc: Document, options: Options, drawing_follows: bool = False) -> list[Problem]:
    """Everything that would stop the card sheets or print a box, found by measuring each
    card face at the chosen paper and cards per page.  ``build`` and ``check`` both run this.
    ``drawing_follows``: all but whether each face fits its card, which drawing the sheets
    next in this process finds out anyway (``render_checked`` fails on a face too long);
    the build then runs the whole check for its messages (``Format.check_in_render``)."""
    if drawing_follows:
        return _check(doc, options, fits=False)
    # A build checks every document before rendering it, and render checks again (it may be
    # called alone): the second time, the answer of the first is reused.
    for known, known_options, problems in _checked:
        if known is doc and known_options == options:
            return list(problems)
    problems = _check(doc, options)
    _checked[:] = [(doc, options, problems)] + _checked[:3]
    return list(problems)


def _check(doc: Document, options: Options, fits: bool = True) -> list[Problem]:
    _faster()
    content = doc.content
    page = PAGE_SIZES[options.page_size]
    g = grid(page, options.cards_per_page)
    cite = _cite(content)
    keys = _keys(content)
    style = _style(MAX_SIZE)
    deck = _line(content.article.deck)
    drawn: dict[str, list] = {"article.deck": [(REGULAR, _edge(deck, False)), (REGULAR, _edge(deck, True))]}
    too_long: dict[str, tuple[StudyCard, bool, str]] = {}  # key path -> the side that does not fit
    markups: dict[tuple[StudyCard, bool], str] = {}
    _faces[:] = [(doc, markups)] + [entry for entry in _faces if entry[0] is not doc][:3]
    known: dict = {}
    for card in study_cards(content):
        if card.kind == "term":
            drawn.setdefault(f"{keys[card.note]}.term", []).append((REGULAR, _label(card)))
        if card.source:
            drawn.setdefault(f"the source line of card {card.label!r}", []).extend(
                in_paragraph(esc(card.source), style))
        for back in (False, True):
            parts = _parts(card, back, cite, known)
            for key, markup in parts:
                drawn.setdefault(f"{keys[card.note]}.{key}", []).extend(in_paragraph(markup, style))
            face = markups[card, back] = "<br/><br/>".join(m for _, m in parts)
            if not fits:
                continue
            width, height = _box(g, card, back)[:2]
            # Only whether a face fits at all matters here; its size is found when it is drawn.
            if not _fits_anyway(face, width, height) and _fit_size(face, width, height) is None:
                too_long.setdefault(f"{keys[card.note]}.{parts[0][0]}", (card, back, face))
    problems = glyph_problems(drawn.items())
    paper = "A4" if options.page_size == "a4" else options.page_size.capitalize()
    refs = {r.id: i for i, r in enumerate(content.references)}
    for where, (card, back, face) in list(too_long.items()):
        # A card that fits once its citations are short is too long because of a reference.
        bare = "<br/><br/>".join(m for _, m in _parts(card, back, lambda ref: "(x)"))
        texts = (card.front, card.back, card.extra or "")
        cited = [ref for ref in dict.fromkeys(r for t in texts for r in cites(parse(t, cloze=card.kind == "cloze")))
                 if ref in refs]
        if cited and _fit_size(bare, *_box(g, card, back)[:2]) is not None:
            del too_long[where]
            for ref in cited:
                problems.append(Problem(f"references[{refs[ref]}](id={ref}).authors",
                                        f"its short citation on printed card {where} makes the card too long; "
                                        "give the reference a `short` form (such as short = \"Lee and Guarente\")"))
    for where, (card, back, face) in too_long.items():
        fits = [n for n in grid_counts(options.page_size)[::-1] if n < options.cards_per_page
                and _fit_size(face, *_box(grid(page, n), card, back)[:2]) is not None]
        advice = (f", or print fewer cards per page (it fits at --cards-per-page {fits[0]})" if fits
                  else " (it does not fit even one card per page)")
        inner_w, inner_h, _, source_h = _box(g, card, back)
        if source_h and _fit_size(face, inner_w, inner_h + source_h) is not None:
            advice += (f"; it would fit without the source line below it ({clip(card.source, REGULAR, 9, 300)}), "
                       "which a reference's `short` form can shorten")
        problems.append(Problem(where, f"too long for a printed card at {options.cards_per_page} cards per "
                                       f"{paper} page, even at {MIN_SIZE:g} pt; shorten it{advice}"))
    return problems


def _face_runs(markup: str) -> list[tuple[str, str]]:
    """Each run of a face's paragraph as (font, text), in order (``halves.draw``)."""
    style = _style(MAX_SIZE)  # the size changes no run's font
    made = fragments(markup, style)
    return [(frag.fontName, getattr(frag, "text", "")) for frag in
            (made[1] if made is not None else Paragraph(markup, style).frags)]


_FACE_TAGS = re.compile(r"</?(?:b|i|super|sub)>|<br/>")
_ENTITIES = re.compile(r"&(?:amp|lt|gt|quot);")
_CHARS = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}


def _face_text(markup: str) -> tuple[tuple[str, ...], str] | None:
    """The fonts a face's paragraph may draw in and every character it may draw, read
    without laying it out (``halves.changes_nothing``); None for markup other than text,
    b, i, super, sub, br and the entities ``esc`` writes."""
    text = _FACE_TAGS.sub("", markup)
    if "<" in text:
        return None
    if "&" in text:
        if "&" in _ENTITIES.sub("", text):
            return None
        text = _ENTITIES.sub(lambda found: _CHARS[found.group()], text)
    bold, italic = "<b>" in markup, "<i>" in markup
    return (REGULAR,) + (BOLD,) * bold + (ITALIC,) * italic + (BOLD_ITALIC,) * (bold and italic), text


def _crop_marks(canvas: Canvas, g: Grid, page: tuple[float, float]) -> None:
    """Short ticks in the sheet margin at every cut line; the cards themselves stay clean."""
    canvas.setStrokeColor(colors.HexColor("#888888"))
    canvas.setLineWidth(0.3)
    canvas._code.extend(_ticks(g))


@lru_cache(maxsize=16)  # every page of a sheet has the same ticks
def _ticks(g: Grid) -> tuple[str, ...]:
    """The ticks' operators, as ``canvas.line`` writes them (a line changes no graphics state)."""
    ticks = []
    top, right = g.bottom + g.rows * g.height, g.left + g.cols * g.width
    for c in range(g.cols + 1):
        x = g.left + c * g.width
        ticks.append((x, g.bottom - 1 * mm, x, g.bottom - 1 * mm - TICK))
        ticks.append((x, top + 1 * mm, x, top + 1 * mm + TICK))
    for r in range(g.rows + 1):
        y = g.bottom + r * g.height
        ticks.append((g.left - 1 * mm, y, g.left - 1 * mm - TICK, y))
        ticks.append((right + 1 * mm, y, right + 1 * mm + TICK, y))
    return tuple(f"n {fp_str(x1, y1)} m {fp_str(x2, y2)} l S" for x1, y1, x2, y2 in ticks)


def render_checked(doc: Document, options: Options) -> bytes:
    """``render`` for a document ``check`` found nothing wrong with (``build`` checks every
    document first, perhaps in another process): the card faces are not measured twice.
    Drawing fails on a face too long for its card (``check(..., drawing_follows=True)`` left
    that to it); only a drawing that succeeded is remembered as a check that passed."""
    register()
    with settled():
        data = _render(doc, options)
    _checked[:] = [(doc, options, [])] + _checked[:3]
    return data


def render(doc: Document, options: Options) -> bytes:
    register()
    raise_problems(doc.path, check(doc, options))
    with settled():  # thousands of faces allocate millions of objects
        return _render(doc, options)


def _faster() -> None:
    widths.install()
    accel.install()
    lines.install()
    serial.install()
    pagedicts.install()
    pdf_numbers.install()


def _render(doc: Document, options: Options) -> bytes:
    _faster()
    content = doc.content
    cards = study_cards(content)
    page = PAGE_SIZES[options.page_size]
    g = grid(page, options.cards_per_page)
    deck = _line(content.article.deck)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page, invariant=1, initialFontName=REGULAR, pageCompression=1)
    numbers = {r.id: n for n, r in enumerate(content.references, 1)}
    canvas.setTitle(f"{flat(content.article.title, numbers)}: flashcards")  # as the explainer's title reads
    canvas.setAuthor(content.article.editor or "studygen")
    canvas.setSubject(f"Printable flashcards for the deck {deck}")
    canvas.setCreator(f"studygen {__version__}")
    date_pdf(canvas, release_time(content.article.version))
    record_key(canvas, buildkey.key(doc, FORMATS["cards"], options))
    per_page = options.cards_per_page
    cite = _cite(content)
    markups = _faces_of(doc)

    if not cards:  # still a valid, printable PDF: an empty one is not
        canvas.setFont(REGULAR, 12)
        canvas.drawCentredString(page[0] / 2, page[1] / 2, f"{deck}: this content has no cards yet.")
        canvas.showPage()
    def draw(sheet: tuple[int, bool]) -> None:
        start, back = sheet
        _crop_marks(canvas, g, page)
        for index, card in enumerate(cards[start:start + per_page]):
            x, y = g.slot(index, back, options.duplex)
            _draw_card(canvas, g, x, y, card, back, deck, cite, markups)

    scratch: list[Canvas] = []
    known_quiet: set[str] = set()  # lines in REGULAR that draw nothing new: thousands of cards share them

    def quiet(text: str) -> bool:
        if text not in known_quiet:
            if not halves.changes_nothing(canvas._doc, (REGULAR,), text):
                return False
            known_quiet.add(text)  # what draws nothing new now never will: codes once given stay
        return True

    def replay(sheet: tuple[int, bool]) -> None:
        start, back = sheet
        doc = canvas._doc
        for index, card in enumerate(cards[start:start + per_page]):
            face = markups.get((card, back))
            markup = _face(card, back, cite) if face is None else face
            edges = _edge_line(_label(card), _edge(deck, back), g.width - 2 * PADDING)
            drawn = _face_text(markup)
            if drawn is not None and halves.changes_nothing(doc, *drawn) \
                    and all(quiet(text) for text in (*edges, card.source if back and card.source else "")):
                continue
            runs = _face_runs(markup)
            if not {name for name, _ in runs} <= doc.fontMapping.keys():
                # Which of the face's fonts draws first hangs on its line breaks (a space
                # between two runs is drawn only inside a line): draw it, where no page shows it.
                if not scratch:
                    scratch.append(Canvas(io.BytesIO(), pagesize=page, invariant=1, initialFontName=REGULAR))
                    scratch[0]._doc = doc
                _draw_card(scratch[0], g, *g.slot(index, back, options.duplex), card, back, deck, cite, markups)
                del scratch[0]._code[:]
                continue
            for name, text in runs:
                halves.replay_text(doc, name, text, paragraph=True)
            if back and card.source:
                halves.replay_text(doc, REGULAR, card.source, paragraph=True)
            for text in edges:
                halves.replay_text(doc, REGULAR, text)

    try:
        halves.draw(canvas, [(start, back) for start in range(0, len(cards), per_page) for back in (False, True)],
                    draw, replay)
    except RenderError as error:
        raise RenderError(f"{doc.path}: {error}") from None
    canvas.save()
    return buffer.getvalue()
