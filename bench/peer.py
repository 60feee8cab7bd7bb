"""The peer: the same explainer as HTML, typeset by WeasyPrint.

Run as ``python bench/peer.py CONTENT.toml OUT.pdf``.  The process loads the
content with studygen's own loader (so both sides pay for the same
validation), writes HTML with the same parts as studygen's PDF (title block,
notice, takeaways, contents, sections, claims table, glossary, references,
page x of y, the DejaVu Serif faces studygen ships) and prints the page count.
The mechanism diagram is left out: drawing it would need ReportLab.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from generator.load import load
from generator.model import Content
from generator.render.markup import paragraphs, to_html

FONTS = Path(__file__).resolve().parent.parent / "generator" / "fonts"

CSS = """
@font-face { font-family: DejaVu; src: url("%(fonts)s/DejaVuSerif.ttf"); }
@font-face { font-family: DejaVu; font-weight: bold; src: url("%(fonts)s/DejaVuSerif-Bold.ttf"); }
@font-face { font-family: DejaVu; font-style: italic; src: url("%(fonts)s/DejaVuSerif-Italic.ttf"); }
@font-face { font-family: DejaVu; font-weight: bold; font-style: italic;
             src: url("%(fonts)s/DejaVuSerif-BoldItalic.ttf"); }
@page { size: A4; margin: 20mm 20mm 26mm;
        @top-left { content: string(head); font-style: italic; font-size: 8.5pt; color: #5a5a5a; }
        @bottom-left { content: "Content version %(version)s"; font-size: 8.5pt; color: #5a5a5a; }
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8.5pt; color: #5a5a5a; } }
@page :first { @top-left { content: none; } }
html { font-family: DejaVu; font-size: 10.5pt; line-height: 15pt; color: #1a1a1a; }
h1.title { font-size: 23pt; line-height: 28pt; color: #1f4e79; string-set: head content(); }
h2 { font-size: 14.5pt; color: #1f4e79; break-after: avoid; margin-top: 16pt; }
p { text-align: justify; margin: 0 0 7pt; }
.notice { background: #f6f4ee; border-left: 3pt solid #8c7a4f; padding: 7pt; font-style: italic; font-size: 9pt; }
.takeaways { background: #eef3f8; border-left: 3pt solid #1f4e79; padding: 7pt; }
.toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader(".") target-counter(attr(href), page); }
table { border-collapse: collapse; font-size: 8.6pt; line-height: 11.2pt; width: 100%%; }
thead { display: table-header-group; background: #eef3f8; }
td, th { border-bottom: 0.4pt solid #b8b8b8; padding: 3pt; vertical-align: top; text-align: left; }
tr { break-inside: avoid; }
.glossary p { text-align: left; padding-left: 14pt; text-indent: -14pt; }
.references li { font-size: 9pt; margin-bottom: 5pt; }
"""


def page(content: Content) -> str:
    numbers = {r.id: n for n, r in enumerate(content.references, 1)}

    def cite(ref: str) -> str:
        return f'[<a href="#ref-{ref}">{numbers[ref]}</a>]'

    def rich(text: str) -> str:
        return to_html(text, cite=cite)

    a = content.article
    heads: list[tuple[str, str]] = []
    body: list[str] = []

    def h2(key: str, markup: str) -> None:
        heads.append((key, markup))
        body.append(f'<h2 id="{key}">{markup}</h2>')

    for section in content.sections:
        h2(f"s-{section.id}", rich(section.heading))
        body += [f"<p>{rich(p)}</p>" for p in paragraphs(section.body)]
    if content.claims:
        h2("x-claims", "Claim by claim: what the evidence shows")
        body.append("<table><thead><tr><th>The article says</th><th>Verdict</th><th>Evidence</th>"
                    "<th>What the evidence shows</th><th>Refs</th></tr></thead><tbody>")
        for c in content.claims:
            note = f"<br><i>{rich(c.note)}</i>" if c.note else ""
            refs = ", ".join(str(numbers[r]) for r in c.refs)
            body.append(f"<tr><td>“{html.escape(c.quote)}”</td><td><b>{c.verdict}</b></td><td>{c.evidence}</td>"
                        f"<td>{rich(c.statement)}{note}</td><td>{refs}</td></tr>")
        body.append("</tbody></table>")
    if content.glossary:
        h2("x-glossary", "Glossary")
        body.append('<div class="glossary">' + "".join(
            f"<p><b>{rich(g.term)}</b>\u2003{rich(g.definition)}</p>" for g in content.glossary) + "</div>")
    if content.references:
        h2("x-references", "References")
        items = []
        for r in content.references:
            link = f' <a href="https://doi.org/{html.escape(r.doi)}">https://doi.org/{html.escape(r.doi)}</a>' \
                if r.doi else ""
            items.append(f'<li id="ref-{r.id}">{html.escape(r.authors)} ({r.year}). {rich(r.title)}. '
                         f"<i>{rich(r.journal)}</i>.{link}</li>")
        body.append('<ol class="references">' + "".join(items) + "</ol>")

    notice = f'<div class="notice">{rich(a.notice)}</div>' if a.notice else ""
    takeaways = "".join(f"<li>{rich(t.text)}</li>" for t in content.takeaways)
    toc = "".join(f'<li><a href="#{key}">{markup}</a></li>' for key, markup in heads)
    css = CSS % {"fonts": FONTS.as_posix(), "version": a.version.isoformat()}
    return (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(a.title)}</title>'
            f"<style>{css}</style></head><body>"
            f"<p>STUDY EXPLAINER · VERSION {a.version.isoformat()}</p><h1 class=\"title\">{rich(a.title)}</h1>"
            + (f"<p><i>{rich(a.subtitle)}</i></p>" if a.subtitle else "")
            + f"<p>{rich(a.summary)}</p>{notice}"
            f'<div class="takeaways"><b>Key takeaways</b><ol>{takeaways}</ol></div>'
            f'<h2>Contents</h2><ul class="toc">{toc}</ul>' + "".join(body) + notice + "</body></html>")


def main(content_path: Path, out: Path) -> None:
    from weasyprint import HTML

    doc = load(content_path)
    rendered = HTML(string=page(doc.content), base_url=str(content_path.parent)).render()
    rendered.write_pdf(out)
    print(len(rendered.pages))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
