"""The page frame of the explainer: templates, running head, footer, outline and contents.

"Page X of Y" needs the page total before the last page exists, so
``multiBuild`` repeats the layout until the total and the table of contents
stop changing (``PageTotal`` is the indexing flowable that asks for the extra
pass).  Every pass lays out real pages, so outline entries and contents links
point where their headings are.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.pdfbase.pdfdoc import PDFInfo, PDFString
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, Table, TableStyle
from reportlab.platypus.paragraph import Paragraph as RLParagraph
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from generator.render.pdf.blocks import Outlined
from generator.render.pdf import reuse
from generator.render.pdf.fonts import ITALIC, REGULAR
from generator.render.pdf.para import Paragraph
from generator.render.pdf.styles import FOOT_BAND, HEAD_BAND, MARGIN, MUTED, RULE, styles
from generator.render.pdf.text import clip


class Heading(Outlined, Paragraph):
    """A section heading that is also an outline entry and a contents line.

    ``outline`` is (plain title, bookmark key, contents markup or None).
    """

    def __init__(self, text, style, bulletText=None, frags=None, outline=None, **kw):
        super().__init__(text, style, bulletText=bulletText, frags=frags, **kw)
        self.outline = outline

    def draw(self):
        if self.outline:
            # Point the bookmark a little above the heading, not at the page top.
            self.canv.bookmarkHorizontal(self.outline[1], 0, self.height + 8)
        super().draw()


class PageTotal(Flowable):
    """Zero-size indexing flowable: satisfied once two passes agree on the page count."""

    def __init__(self):
        super().__init__()
        self.known: int | None = None
        self.seen = 0
        self._stable = False

    def isIndexing(self):
        return 1

    def beforeBuild(self):
        self.seen = 0

    def afterBuild(self):
        self._stable = self.known == self.seen
        self.known = self.seen

    def isSatisfied(self):
        return self._stable

    def notify(self, kind, stuff):
        pass

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


class Contents(TableOfContents):
    """The contents list; an entry taller than a page (a very long heading) may split
    across pages instead of stopping the layout.

    ReportLab's list writes each entry's page number into the entry's paragraph, as the
    argument of the callback that draws the dots and the number, so every pass parses
    and breaks every entry again.  Here the paragraph names its entry instead, and the
    callback looks the number up: an entry keeps its paragraph, and its lines, from
    pass to pass.  What is drawn is ReportLab's.
    """

    def __init__(self, **kw):
        super().__init__(**kw)
        self._paragraphs: dict[tuple, RLParagraph] = {}
        # The label is an index into this list's entries, so the callback is this list's own.
        self._callback = f"studygenContentsEntryEnd{id(self)}"

    def wrap(self, availWidth, availHeight):
        entries = self._lastEntries or [(0, "Placeholder for table of contents", 0, None)]

        def entry_end(canvas, kind, label):
            level, _, page, key = entries[int(label)]
            dot = " . " if 0 <= self.dotsMinLevel <= level else ""
            if self.formatter:
                page = self.formatter(page)
            drawPageNumbers(canvas, self.getLevelStyle(level), [(page, key)], availWidth, availHeight, dot)

        self.canv.setNamedCB(self._callback, entry_end)
        rows = []
        for n, (level, text, _, key) in enumerate(entries):
            style = self.getLevelStyle(level)
            para = self._paragraphs.get((n, level, text, key, id(style)))
            if para is None:
                markup = f'<a href="#{key}">{text}</a>' if key else text
                para = self._paragraphs[n, level, text, key, id(style)] = RLParagraph(
                    f'{markup}<onDraw name="{self._callback}" label="{n}"/>', style)
            if style.spaceBefore:
                rows.append([Spacer(1, style.spaceBefore)])
            rows.append([para])
        self._table = Table(rows, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        self._table.splitInRow = 1
        return self.width, self.height


def contents() -> TableOfContents:
    style = styles()["toc"]
    # The inner table's own font would otherwise be Helvetica.
    table = TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return Contents(levelStyles=[style], tableStyle=table, dotsMinLevel=0)


def date_pdf(canv, when: dt.datetime) -> None:
    """Date the document ``when``; ``invariant`` alone would date every PDF 2000-01-01."""
    stamp = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    canv.setDateFormatter(lambda *_: stamp)


class _KeyedInfo(PDFInfo):
    """Document information with one more entry, /StudygenBuild: the build key (generator.buildkey)."""

    build_key = ""

    def format(self, document):
        text = super().format(document)
        end = text.rindex(b">>")
        return text[:end] + b"/StudygenBuild " + PDFString(self.build_key).format(document) + b"\n" + text[end:]


def record_key(canv, key: str) -> None:
    """Record what the PDF was built from, so the next build can tell it is current."""
    info = canv._doc.info
    info.__class__ = _KeyedInfo
    info.build_key = key


def _nothing(*args, **kwargs) -> None:
    pass


class _Frame(Frame):
    """A frame that only lays out, without drawing, while the canvas says ``layout_only``.

    ``multiBuild`` saves only its last pass, and the first never is the last
    (the page total needs a second), so drawing the first pass is wasted work:
    a third of the explainer's time.  Layout never depends on drawing here:
    outline entries and contents lines come from ``afterFlowable``.
    """

    def _add(self, flowable, canv, trySplit=0):
        if not getattr(canv, "layout_only", False):
            return super()._add(flowable, canv, trySplit)
        # Straight into the instance: some flowables (Drawing) refuse unknown attributes.
        flowable.__dict__["drawOn"] = _nothing
        try:
            return super()._add(flowable, canv, trySplit)
        finally:
            del flowable.__dict__["drawOn"]

    add = _add


class Explainer(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, pagesize: tuple[float, float], *, head: str, version: dt.date,
                 created: dt.datetime, build_key: str = "", **meta):
        super().__init__(buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, invariant=1, lang="en-GB", initialFontName=REGULAR,
                         displayDocTitle=1, **meta)
        self.head = head
        self.version = version
        self.created = created
        self.build_key = build_key
        self.total = PageTotal()
        self.passes = 0
        width, height = pagesize
        body = width - 2 * MARGIN

        def frame(name: str, top_band: float) -> Frame:
            return _Frame(MARGIN, MARGIN + FOOT_BAND, body, height - 2 * MARGIN - FOOT_BAND - top_band, id=name,
                         leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

        self.addPageTemplates([
            PageTemplate("first", [frame("first", 0)], onPage=self._decorate, autoNextPageTemplate="later"),
            PageTemplate("later", [frame("later", HEAD_BAND)], onPage=self._decorate),
        ])

    @property
    def body_height(self) -> float:
        """Height of the text frame on pages with a running head (the smaller frame)."""
        return self.pagesize[1] - 2 * MARGIN - FOOT_BAND - HEAD_BAND

    def beforeDocument(self):
        self.passes += 1
        self.canv.layout_only = self.passes == 1
        date_pdf(self.canv, self.created)
        record_key(self.canv, self.build_key)

    def afterPage(self):
        self.total.seen = self.page

    def afterFlowable(self, flowable):
        outline = getattr(flowable, "outline", None)
        if not outline:
            return
        title, key, toc = outline
        self.canv.addOutlineEntry(title, key, level=0, closed=False)
        if toc is not None:
            self.notify("TOCEntry", (0, toc, self.page, key))

    def _decorate(self, canv, doc) -> None:
        if getattr(canv, "layout_only", False):
            return  # a pass that is not saved needs no running head or footer
        width, height = self.pagesize
        left, right = MARGIN, width - MARGIN
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.setFillColor(MUTED)
        if self.page > 1:
            canv.setFont(ITALIC, 8.5)
            canv.drawString(left, height - MARGIN - 9, clip(self.head, ITALIC, 8.5, right - left))
            canv.line(left, height - MARGIN - 14, right, height - MARGIN - 14)
        canv.line(left, MARGIN + 15, right, MARGIN + 15)
        canv.setFont(REGULAR, 8.5)
        canv.drawString(left, MARGIN + 4, f"Content version {self.version.isoformat()}")
        total = self.total.known if self.total.known is not None else "?"
        canv.drawRightString(right, MARGIN + 4, f"Page {self.page} of {total}")
        canv.restoreState()

    def render(self, story: list) -> None:
        reuse.install()
        _prefill_contents(story)
        self.multiBuild(story + [self.total])


def _headings(flowables: list):
    for flowable in flowables:
        if isinstance(flowable, Heading):
            yield flowable
        yield from _headings(getattr(flowable, "_content", None) or [])


def _prefill_contents(story: list) -> None:
    """Give the contents its lines before the first pass.

    An empty contents list on the first pass changes every later page, which
    costs ``multiBuild`` a third layout pass; with the lines already there
    (page numbers still unknown), two passes settle both pages and numbers.
    """
    tocs = [f for f in story if isinstance(f, TableOfContents)]
    for toc in tocs:
        for heading in _headings(story):
            if heading.outline and heading.outline[2] is not None:
                toc.addEntry(0, heading.outline[2], 1, heading.outline[1])

