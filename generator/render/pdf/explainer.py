"""The PDF explainer through ReportLab.

Order of the handout: title block, notice, key takeaways, contents, the
content's sections, the mechanism diagram, the claim-by-claim evidence table
(followed by the section with id ``corrections``, if there is one), glossary,
references, and the notice again at the end, with the date the evidence was
last checked.
"""

from __future__ import annotations

import io
from typing import Iterable

from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, Spacer

from generator import __version__, buildkey
from generator.errors import Problem
from generator.model import Content, Document
from generator.render import FORMATS, Options, release_time
from generator.render.markup import paragraphs, to_reportlab
from generator.render.pdf.blocks import panel, prose
from generator.render.pdf.claims import VerdictBar, evidence_table, verdict_legend
from generator.render.pdf.diagram import DETAIL_FONT, LABEL_FONT, box_height, drawing, unchecked
from generator.render.pdf.doc import Explainer, Heading, contents
from generator.render.pdf.fonts import ITALIC, Drawn, glyph_problems, in_paragraph, raise_problems, register
from generator.render.pdf import accel, annots, lines, printable, reuse, serial, widths
from generator.render.pdf import numbers as pdf_numbers
from generator.render.pdf import para
from generator.render.pdf.para import Paragraph
from generator.render.pdf.styles import (ACCENT, FOOT_BAND, HEAD_BAND, LINK, MARGIN, NOTICE, NOTICE_EDGE, PAGE_SIZES,
                                         PANEL, styles)
from generator.render.pdf.text import esc, flat
from generator.render.sorting import alphabetical
from generator.render.verdicts import verdict_counts

CORRECTIONS = "corrections"  # the section printed right after the evidence table


def render(doc: Document, options: Options) -> bytes:
    register()
    raise_problems(doc.path, check(doc, options))
    return _render(doc, options)


def render_checked(doc: Document, options: Options) -> bytes:
    """``render`` for a document ``check`` found nothing wrong with (``build`` checks every
    document first, perhaps in another process), without checking it again."""
    register()
    return _render(doc, options)


def _render(doc: Document, options: Options) -> bytes:
    reuse.install()  # before the story: tables measure their cells while it is made
    widths.install()
    accel.install()
    lines.install()
    serial.install()
    annots.install()
    pdf_numbers.install()
    content = doc.content
    article = content.article
    numbers = _numbers(content)
    buffer = io.BytesIO()
    pdf = Explainer(
        buffer, PAGE_SIZES[options.page_size], head=flat(article.title, numbers), version=article.version,
        created=release_time(article.version), title=flat(article.title, numbers), author=article.editor or "studygen",
        subject=flat(article.summary, numbers), keywords=list(article.keywords),
        creator=f"studygen {__version__}", build_key=buildkey.key(doc, FORMATS["pdf"], options))
    pdf.render(story(content, pdf.width, pdf.body_height))
    return buffer.getvalue()


def release() -> None:
    """Let go of what only another explainer would use: the hyphenation dictionary (2 MiB).
    A build calls this after its last explainer, so the formats after it have the room."""
    para.release()


def check(doc: Document, options: Options) -> list[Problem]:
    """What would stop or spoil the explainer, found without laying it out: characters
    a face cannot print, a diagram step taller than a page.  ``build`` and ``check`` both run this."""
    content = doc.content
    glyphs = [] if printable.nothing_missing(_raw_texts(content)) else glyph_problems(drawn_texts(content))
    return glyphs + _tall_steps(content, options)


# The fields of each table the explainer prints as paragraphs, and their paragraph styles.
_STYLED = {"takeaways": {"text": "takeaway"},
           "sections": {"heading": ("h1", "toc"), "body": "body"},
           "claims": {"quote": "cell", "statement": "cell", "note": "cellnote"},
           "glossary": {"term": "glossary", "definition": "glossary"},
           "references": {"authors": "reference", "title": "reference", "journal": "reference",
                          "volume": "reference", "issue": "reference", "pages": "reference",
                          "doi": "reference", "url": "reference", "note": "reference"}}
_ARTICLE = ("title", "subtitle", "summary", "notice")


def _raw_texts(content: Content) -> Iterable[str]:
    """The text of every field ``drawn_texts`` reads, as written."""
    a = content.article
    yield from (getattr(a, key) or "" for key in _ARTICLE)
    for name, keys in _STYLED.items():
        for entry in getattr(content, name):
            for key in keys:
                value = getattr(entry, key)
                if value is not None:
                    yield str(value)
    for step in content.pathway:
        yield step.label
        yield step.detail


def drawn_texts(content: Content) -> Iterable[tuple[str, list[Drawn]]]:
    """Every text field the explainer prints, with its key path and what is drawn in which
    face: paragraphs in the style ``story`` gives them, single lines as ``_decorate`` and
    the diagram draw them."""
    s = styles()
    numbers = _numbers(content)

    def rich(text: str) -> str:
        return to_reportlab(text, cite=lambda ref: esc(f"[{numbers.get(ref, '@' + ref)}]"))

    def para(text: str, style: str, markup=rich) -> list[Drawn]:
        return [d for p in paragraphs(text) for d in in_paragraph(markup(p), s[style])]

    a = content.article
    fields = {"title": para(a.title, "title") + [(ITALIC, flat(a.title, numbers))],  # the running head
              "subtitle": para(a.subtitle or "", "subtitle"), "summary": para(a.summary, "summary"),
              "notice": para(a.notice or "", "notice")}
    for key, drawn in fields.items():
        yield f"article.{key}", drawn
    markups = {("claims", "quote"): lambda t: "“" + esc(t) + "”", ("references", "authors"): esc,
               ("references", "volume"): esc, ("references", "issue"): esc, ("references", "pages"): esc,
               ("references", "doi"): lambda t: esc(f"https://doi.org/{t}"), ("references", "url"): esc,
               ("glossary", "term"): lambda t: f"<b>{rich(t)}</b>",
               ("references", "journal"): lambda t: f"<i>{rich(t)}</i>",
               ("references", "note"): lambda t: f"<i>{rich(t)}</i>"}
    for name, keys in _STYLED.items():
        for i, entry in enumerate(getattr(content, name)):
            where = f"{name}[{i}]" + (f"(id={entry.id})" if hasattr(entry, "id") else "")
            for key, style_names in keys.items():
                value = getattr(entry, key)
                if value is not None and value != "":
                    value = str(value)
                    markup = markups.get((name, key), rich)
                    names = style_names if isinstance(style_names, tuple) else (style_names,)
                    yield f"{where}.{key}", [d for n in names for d in para(value, n, markup)]
    for i, step in enumerate(content.pathway):  # the diagram draws single lines in fixed faces
        yield f"pathway[{i}](id={step.id}).label", [(LABEL_FONT, flat(step.label, numbers))]
        yield f"pathway[{i}](id={step.id}).detail", [(DETAIL_FONT, flat(step.detail, numbers))]


def _numbers(content: Content) -> dict[str, int]:
    return {r.id: n for n, r in enumerate(content.references, 1)}


def _link(href: str, text: str) -> str:
    return f'<a href="{esc(href)}" color="#{LINK.hexval()[2:]}">{text}</a>'


def story(content: Content, width: float, limit: float) -> list:
    """The flowables of the whole handout; ``limit`` is the text height of a page."""
    s = styles()
    numbers = _numbers(content)

    def number(ref: str) -> str:
        return _link(f"#ref-{ref}", str(numbers[ref])) if ref in numbers else esc(f"@{ref}")

    def cite(ref: str) -> str:
        return f"[{number(ref)}]"

    def rich(text: str) -> str:
        return to_reportlab(text, cite=cite)

    def heading(text: str, key: str) -> Heading:
        # A contents line is one link already, so citations in it are plain numbers.
        toc = to_reportlab(text, cite=lambda ref: esc(f"[{numbers.get(ref, '@' + ref)}]"))
        return Heading(rich(text), s["h1"], outline=(flat(text, numbers), key, toc))

    def fixed(text: str, key: str) -> Heading:
        # The renderer's own headings (Glossary, References...) are plain text.
        return Heading(esc(text), s["h1"], outline=(text, key, esc(text)))

    a = content.article
    out: list = [
        Paragraph(esc(f"STUDY EXPLAINER  ·  VERSION {a.version.isoformat()}"
                      + (f"  ·  EVIDENCE CHECKED {a.checked.isoformat()}" if a.checked else "")), s["kicker"]),
        Paragraph(rich(a.title), s["title"]),
    ]
    if a.subtitle:
        out.append(Paragraph(rich(a.subtitle), s["subtitle"]))
    out += [HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceBefore=2, spaceAfter=2),
            Paragraph(rich(a.summary), s["summary"])]
    if a.notice:
        out += [panel([Paragraph(rich(a.notice), s["notice"])], width, fill=NOTICE, edge=NOTICE_EDGE,
                      limit=limit, padding=7), Spacer(1, 12)]
    if content.takeaways:
        title = "Key takeaways"
        items = [Heading(esc(title), s["panelhead"], outline=(title, "x-takeaways", None))]
        items += [Paragraph(rich(t.text), s["takeaway"], bulletText=f"{n}")
                  for n, t in enumerate(content.takeaways, 1)]
        out += [panel(items, width, fill=PANEL, edge=ACCENT, limit=limit, outline=(title, "x-takeaways", None)),
                Spacer(1, 6)]
    if content.sections or content.pathway or content.claims or content.glossary or content.references:
        # The heading stays with the first lines of the list, not the whole list: a long list
        # kept whole would move to the next page and leave this one blank below the summary.
        toc_head = Heading("Contents", s["h1"])
        toc_head.keepWithNext = 0
        toc = s["toc"]
        out += [CondPageBreak(toc_head.style.leading + toc_head.style.spaceBefore + toc_head.style.spaceAfter
                              + 4 * toc.leading), toc_head, contents()]  # never an empty list of contents

    corrections = [sec for sec in content.sections if sec.id == CORRECTIONS]
    for section in content.sections:
        if section.id != CORRECTIONS:
            out += [heading(section.heading, f"s-{section.id}")] + prose(section.body, rich, s["body"], s["item"])
    if content.pathway:
        # The heading starts a new page only when its first steps would not fit below it;
        # the diagram then fills what is left of the page and goes on over the next.
        figure = Mechanism(content, width, limit)
        head = fixed("The proposed mechanism, step by step", "x-mechanism")
        head.keepWithNext = 0
        hs = head.style
        out += [CondPageBreak(hs.spaceBefore + hs.leading + hs.spaceAfter + figure.opening()), head, figure]
    if content.claims:
        counts = verdict_counts(content)
        glance = VerdictBar(counts, width)
        legend = verdict_legend(width, limit, dict(counts))
        claims = evidence_table(content, width, limit, rich, number)
        # The heading, the figure and the legend start a new page only if they would not fit on
        # this one; the table follows wherever its header and first lines fit (repeating the header).
        h1 = s["h1"]
        need = h1.spaceBefore + h1.leading + h1.spaceAfter + glance.height + glance.spaceAfter + sum(legend.estimated_heights) + legend.spaceAfter
        out += [CondPageBreak(need), fixed("Claim by claim: what the evidence shows", "x-claims"), glance, legend,
                claims]
    for section in corrections:
        out += [heading(section.heading, f"s-{section.id}")] + prose(section.body, rich, s["bodyleft"], s["item"])
    if content.glossary:
        out.append(fixed("Glossary", "x-glossary"))
        for g in alphabetical(content.glossary):
            out += prose(g.definition, rich, s["glossary"], s["glossaryitem"], lead=f"<b>{rich(g.term)}</b>\u2003",
                         more=s["glossarymore"])
    if content.references:
        out.append(fixed("References", "x-references"))
        refs = [reference(r, n, rich) for n, r in enumerate(content.references, 1)]
        for ref in refs[-3:-1]:
            ref.keepWithNext = 1  # the last page never holds a single reference
        out += refs
    closing_lines = ([Paragraph(rich(a.notice), s["notice"])] if a.notice else []) + (
        [Paragraph(esc(f"The evidence was last checked on {long_date(a.checked)}."), s["notice"])]
        if a.checked else [])
    if closing_lines:
        closing = panel(closing_lines, width, fill=NOTICE, edge=NOTICE_EDGE, limit=limit, padding=7)
        closing.spaceBefore = 12
        if isinstance(out[-1], Paragraph):
            out[-1].keepWithNext = 1  # so the notice never stands alone on the last page
        out.append(closing)
    return out


MIN_SCALE = 0.85  # a diagram part is never shrunk further: its details would be 7.3 pt
OPENING = 2  # steps the first part of a split diagram holds at least (or all of them, if fewer)


class Mechanism(Flowable):
    """The diagram at full size, split between steps where a page ends: each part fills the
    room left on its page (a first part holds at least OPENING steps).  Only a single step
    taller than a page is shrunk, never below MIN_SCALE (``check`` refuses that)."""

    def __init__(self, content: Content, width: float, limit: float, start: int = 0, drawings=None):
        super().__init__()
        self.content, self.full, self.limit, self.start = content, width, limit, start
        self.hAlign = "LEFT"
        # Shared by the parts: each is drawn once per pass.  A part's drawing is made once, to
        # measure it, and drawn as it is unless a page is too short for it (``split`` scales a new one).
        self._drawings = {} if drawings is None else drawings

    def _drawing(self, stop: int):
        key = (self.start, stop)
        if key not in self._drawings:
            self._drawings[key] = drawing(self.content, self.full, details=True, part=key)
        return self._drawings[key]

    def _height(self, stop: int) -> float:
        return self._drawing(stop).height

    def opening(self) -> float:
        """Height of the smallest first part worth starting on a page."""
        return self._height(min(self.start + OPENING, len(self.content.pathway)))

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.full, self._height(len(self.content.pathway))
        return self.width, self.height

    def split(self, availWidth, availHeight):
        count = len(self.content.pathway)
        fresh = availHeight >= self.limit - 60  # the top of a page, below at most a heading
        # Mid-page a part holds at least a couple of steps, or moves on whole to the next page.
        least = self.start + 1 if fresh or self.start else min(OPENING, count)
        if self._height(least) > availHeight and not fresh:
            return []
        stop = least
        while stop < count and self._height(stop + 1) <= availHeight:
            stop += 1
        figure = self._drawing(stop)
        if figure.height > availHeight:  # a single step taller than a page
            figure = drawing(self.content, self.full, details=True, part=(self.start, stop))
            scale = max(availHeight / figure.height, MIN_SCALE)
            figure.scale(scale, scale)
            figure.width, figure.height = figure.width * scale, figure.height * scale
        figure.hAlign = "LEFT"
        if stop >= count:
            return [figure]
        return [figure, Mechanism(self.content, self.full, self.limit, stop, self._drawings)]

    def draw(self):
        with unchecked():
            self._drawing(len(self.content.pathway)).drawOn(self.canv, 0, 0)


def _tall_steps(content: Content, options: Options) -> list[Problem]:
    """Steps whose box and detail would not fit one page even at MIN_SCALE."""
    width, height = PAGE_SIZES[options.page_size]
    room = height - 2 * MARGIN - FOOT_BAND - HEAD_BAND - 60
    problems = []
    for i, step in enumerate(content.pathway):
        need = drawing(content, width - 2 * MARGIN, details=True, part=(i, i + 1)).height * MIN_SCALE
        if need > room:
            key = "label" if box_height(content, i, width - 2 * MARGIN) * MIN_SCALE > room else "detail"
            problems.append(Problem(f"pathway[{i}](id={step.id}).{key}",
                                    f"too long to print beside its step of the diagram on one "
                                    f"{options.page_size.upper() if options.page_size == 'a4' else 'Letter'} page "
                                    f"(it needs {need / room:.1f} pages); shorten it"))
    return problems


def _stop(markup: str, text: str) -> str:
    """``markup`` closed with a full stop unless ``text`` already ends a sentence."""
    return markup if flat(text).endswith((".", "?", "!")) else markup + "."


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def long_date(day) -> str:
    """"30 November 2026", the same whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def reference(r, n: int, rich) -> Paragraph:
    text = f'<a name="ref-{r.id}"/>{esc(r.authors)} ({r.year}). {_stop(rich(r.title), r.title)} '
    # Vancouver style: "Cell Metab 24(6):795–806." with the journal in italics.
    text += (f'<i>{rich(r.journal)}</i> {esc(r.locator)}.' if r.locator
             else f'<i>{_stop(rich(r.journal), r.journal)}</i>')
    if r.doi:
        text += " " + _link(r.doi_url, esc(f"https://doi.org/{r.doi}"))
    if r.url:
        text += " " + _link(r.url, esc(r.url))
    if r.note:
        text += f" <i>{rich(r.note)}</i>"
    return Paragraph(text, styles()["reference"], bulletText=f"{n}.")
