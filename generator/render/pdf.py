"""The PDF explainer through ReportLab."""

from __future__ import annotations

import io
from urllib.parse import quote

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table,
                                TableStyle)

from generator import __version__
from generator.errors import RenderError
from generator.model import Content, Document
from generator.render import Options
from generator.render.markup import paragraphs, to_reportlab
from generator.render.pdf_fonts import BOLD, REGULAR, missing_glyphs, register

PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN = 20 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=14.5, alignment=TA_LEFT,
                          spaceAfter=6)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=22, leading=27, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=13, leading=17, textColor=colors.HexColor("#444444")),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=15, leading=19, spaceBefore=12, spaceAfter=6,
                             keepWithNext=1),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11, spaceAfter=0),
        "cellhead": ParagraphStyle("cellhead", base, fontName=BOLD, fontSize=8.5, leading=11, spaceAfter=0),
        "small": ParagraphStyle("small", base, fontSize=9, leading=12),
    }


def _text_of(content: Content) -> str:
    return content.model_dump_json()


def render(doc: Document, options: Options) -> bytes:
    register()
    content = doc.content
    missing = missing_glyphs(_text_of(content))
    if missing:
        chars = " ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(missing))
        raise RenderError(f"{doc.path}: the PDF font cannot print {chars}")
    buffer = io.BytesIO()
    page = PAGE_SIZES[options.page_size]
    article = content.article
    template = BaseDocTemplate(
        buffer, pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=_plain(article.title), author=article.editor or "studygen", subject=_plain(article.summary),
        keywords=article.keywords, creator=f"studygen {__version__}", invariant=1, lang="en-GB",
        initialFontName=REGULAR,
    )
    frame = Frame(MARGIN, MARGIN, page[0] - 2 * MARGIN, page[1] - 2 * MARGIN, id="body")
    template.addPageTemplates([PageTemplate("page", [frame])])
    template.build(story(content, template.width))
    return buffer.getvalue()


def _plain(text: str) -> str:
    from generator.inline import parse, plain
    return plain(parse(text))


def story(content: Content, width: float) -> list:
    s = _styles()
    numbers = {r.id: n for n, r in enumerate(content.references, 1)}

    def cite(ref_id: str) -> str:
        return f'[<a href="#ref-{ref_id}">{numbers[ref_id]}</a>]'

    def para(text: str, style: str = "body") -> Paragraph:
        return Paragraph(to_reportlab(text, cite=cite), s[style])

    a = content.article
    out: list = [para(a.title, "title")]
    if a.subtitle:
        out.append(para(a.subtitle, "subtitle"))
    out += [Paragraph(f"Version {a.version.isoformat()}", s["small"]), para(a.summary)]
    if a.notice:
        out.append(para(a.notice, "small"))
    if content.takeaways:
        out.append(Paragraph("Key takeaways", s["h1"]))
        out += [Paragraph("• " + to_reportlab(t.text, cite=cite), s["body"]) for t in content.takeaways]
    for section in content.sections:
        out.append(para(section.heading, "h1"))
        out += [para(p) for p in paragraphs(section.body)]
    if content.claims:
        out.append(Paragraph("What the article claims, and what the evidence shows", s["h1"]))
        rows = [[Paragraph(h, s["cellhead"]) for h in ("The article says", "Verdict", "Evidence", "Accurate statement")]]
        for claim in content.claims:
            refs = " ".join(cite(r) for r in claim.refs)
            rows.append([
                Paragraph("“" + to_reportlab(claim.quote) + "”", s["cell"]),
                Paragraph(claim.verdict, s["cell"]),
                Paragraph(claim.evidence, s["cell"]),
                Paragraph(to_reportlab(claim.statement, cite=cite) + (" " + refs if refs else ""), s["cell"]),
            ])
        table = Table(rows, colWidths=[width * 0.32, width * 0.13, width * 0.15, width * 0.40], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ]))
        out.append(table)
    if content.glossary:
        out.append(Paragraph("Glossary", s["h1"]))
        out += [Paragraph(f"<b>{to_reportlab(g.term)}</b>: {to_reportlab(g.definition, cite=cite)}", s["body"])
                for g in content.glossary]
    if content.references:
        out.append(Paragraph("References", s["h1"]))
        for n, r in enumerate(content.references, 1):
            doi = ""
            if r.doi:
                url = "https://doi.org/" + quote(r.doi, safe="/:;()._-")
                doi = f' <a href="{to_reportlab(url)}" color="#0b57d0">doi:{to_reportlab(r.doi)}</a>'
            out.append(Paragraph(
                f'<a name="ref-{r.id}"/>{n}. {to_reportlab(r.authors)} ({r.year}). {to_reportlab(r.title)}. '
                f'<i>{to_reportlab(r.journal)}</i>.{doi}', s["small"]))
    out.append(Spacer(1, 1))
    return out
