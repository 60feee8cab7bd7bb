"""The reading edition: one self-contained, accessible HTML page, with a preview of every card.

It holds what the PDF explainer holds, in the same order, for readers who
cannot use a PDF (screen readers, phones): semantic HTML5, a contents list,
the mechanism diagram as inline SVG with its steps as text, the evidence table
with header cells, and the glossary and references.  No script, and nothing is
fetched: the stylesheet, the diagram, its fonts and the card images are inside
the file.  Then every card of the deck, front and back, rendered with the
deck's own templates and stylesheet (generator.render.cardview).
"""

from __future__ import annotations

import base64
import html
import re
from functools import lru_cache

from generator import __version__, buildkey
from generator.inline import parse, plain
from generator.model import Content, Document, Reference
from generator.render import FORMATS, Options
from generator.render.markup import to_html, to_html_blocks
from generator.render.sorting import alphabetical, ascending
from generator.render.verdicts import (EVIDENCE_WORDS, VERDICT_MARKS, VERDICT_MEANINGS, VERDICT_WORDS,
                                       verdict_counts)

LANG = "en-GB"  # as the PDF's /Lang
CORRECTIONS = "corrections"  # the section shown right after the evidence table, as in the PDF
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
SHOWN_IN = {"human": "shown in humans", "mouse": "shown in mice", "cell": "shown in cells",
            None: "model not stated"}

CSS = """\
:root {
  color-scheme: light dark;
  --ink: #1a1a1a; --muted: #545454; --paper: #fffefb; --accent: #1f4e79; --link: #1a4f8a;
  --rule: #c4c4c4; --panel: #eef3f8; --notice: #f6f4ee; --notice-edge: #8c7a4f;
  --supported: #e3f1e3; --imprecise: #fbf1d6; --overstated: #fbe3cf; --unsupported: #f6dada;
}
@media (prefers-color-scheme: dark) {
  :root {
    --ink: #e9e9e9; --muted: #bdbdbd; --paper: #161616; --accent: #a9cbef; --link: #9fc6f5;
    --rule: #4a4a4a; --panel: #1c2633; --notice: #27241d; --notice-edge: #bba36c;
    --supported: #1e3a22; --imprecise: #3b3317; --overstated: #42291a; --unsupported: #452323;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 1.0625rem/1.6 "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "DejaVu Serif", serif; }
.page { max-width: 46rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
a { color: var(--link); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .3rem .6rem; }
.kicker { font-size: .8rem; letter-spacing: .06em; color: var(--muted); margin: 1rem 0 .3rem; }
h1 { color: var(--accent); font-size: clamp(1.7rem, 5vw, 2.4rem); line-height: 1.2; margin: 0 0 .4rem; }
.subtitle { font-style: italic; color: var(--muted); font-size: 1.15rem; margin: 0 0 .8rem; }
.summary { font-size: 1.1rem; border-top: 2px solid var(--accent); padding-top: .8rem; }
h2 { color: var(--accent); font-size: 1.4rem; line-height: 1.3; margin: 2.2rem 0 .6rem; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .4rem; }
.notice { background: var(--notice); border-left: 4px solid var(--notice-edge); padding: .6rem .9rem;
  font-style: italic; font-size: .95rem; }
.takeaways { background: var(--panel); border-left: 4px solid var(--accent); padding: .2rem 1rem .6rem; }
.takeaways h2 { margin-top: .8rem; font-size: 1.15rem; }
nav ol { padding-left: 1.4rem; }
p { margin: 0 0 .9rem; }
sup, sub { line-height: 0; }
.cite { white-space: nowrap; }
figure { margin: 1.2rem 0; }
figcaption { font-style: italic; color: var(--muted); font-size: .95rem; margin: .4rem 0; }
/* The diagram is drawn dark on light; it keeps a light ground in dark mode too. */
.diagram { background: #fffdf8; border-radius: 6px; padding: .6rem; text-align: center; }
.diagram svg { max-width: 100%; height: auto; }
.steps li { margin-bottom: .4rem; }
.shown { font-style: italic; color: var(--muted); }
.glance .bar { display: flex; gap: 2px; margin: .4rem 0; }
.glance .part { flex: 0 1 auto; min-width: 2.6rem; padding: .15rem .3rem; text-align: center; font-weight: bold;
  border: 1px solid var(--ink); white-space: nowrap; }
.glance ul, .legend { list-style: none; padding: 0; margin: .4rem 0; }
.mark { display: inline-block; width: 1.1em; text-align: center; font-weight: bold; }
.v-supported { background: var(--supported); } .v-imprecise { background: var(--imprecise); }
.v-overstated { background: var(--overstated); } .v-unsupported { background: var(--unsupported); }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
.table-wrap:focus { outline: 2px solid var(--link); }
table { border-collapse: collapse; font-size: .9rem; line-height: 1.45; min-width: 36rem; }
caption { text-align: left; font-style: italic; color: var(--muted); padding-bottom: .4rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .5rem; border-bottom: 1px solid var(--rule); }
thead th { background: var(--panel); border-top: 2px solid var(--ink); border-bottom: 1.5px solid var(--ink); }
tbody th { font-weight: normal; }
td.verdict { font-weight: bold; white-space: nowrap; }
td p, td div { margin: 0 0 .3rem; }
.summary p:last-child, .notice p:last-child { margin-bottom: 0; }
.note { font-style: italic; color: var(--muted); font-size: .95em; }
dt { font-weight: bold; margin-top: .6rem; }
dd { margin: 0 0 0 1.2rem; }
.references li { margin-bottom: .5rem; overflow-wrap: anywhere; }
footer { border-top: 1px solid var(--rule); margin-top: 3rem; padding-top: 1rem; color: var(--muted); font-size: .9rem; }
.previews { display: grid; gap: 1rem; }
.preview { border: 1px solid var(--rule); border-radius: 8px; padding: .8rem; }
.preview .id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9rem; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .8rem; align-items: start; }
@media (max-width: 40rem) { .sides { grid-template-columns: minmax(0, 1fr); } }
.side-label { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 .2rem; }
.anki { border: 1px solid var(--rule); border-radius: 6px; overflow: hidden; overflow-wrap: anywhere; }
@media print {
  :root { --ink: #000; --muted: #333; --paper: #fff; --link: #000; }
  body { font-size: 10.5pt; }
  .skip, nav { display: none; }
  a { text-decoration: none; }
  .page { max-width: none; padding: 0; }
  h2, h3, h4 { break-after: avoid; }
  tr, figure, .preview, li, dt, dd { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { min-width: 0; }
  #x-cards { break-before: page; }
}
"""


def render(doc: Document, options: Options) -> bytes:
    key = buildkey.key(doc, FORMATS["html"], options)
    return page(doc, key).encode("utf-8")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def text_of(markup: str) -> str:
    """Inline markup as plain text, for a title or an attribute."""
    return " ".join(plain(parse(markup)).split())


def long_date(day) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


class Page:
    def __init__(self, content: Content):
        self.content = content
        self.numbers = {r.id: n for n, r in enumerate(content.references, 1)}

    def cite(self, ref: str) -> str:
        if ref not in self.numbers:
            return esc(f"[@{ref}]")
        return f'<a class="cite" href="#ref-{esc(ref)}">[{self.numbers[ref]}]</a>'

    def rich(self, text: str) -> str:
        return to_html(text, cite=self.cite)

    def body(self, text: str) -> str:
        """Paragraphs and lists (generator.prose)."""
        return to_html_blocks(text, cite=self.cite)

    def block(self, text: str) -> str:
        """A field that is usually one paragraph: inline HTML then, else its paragraphs and lists."""
        return to_html_blocks(text, cite=self.cite, bare=True)

    def ref_links(self, refs) -> str:
        return ", ".join(f'<a class="cite" href="#ref-{esc(r)}">{self.numbers[r]}</a>'
                         for r in ascending(refs, self.numbers) if r in self.numbers)


def _section(key: str, heading: str, inner: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return (f'<section id="{key}"{attr} aria-labelledby="{key}-h">'
            f'<h2 id="{key}-h">{heading}</h2>{inner}</section>')


def mechanism(content: Content, p: Page) -> str:
    from generator.render.pdf.diagram import svg_with_fonts

    drawing = svg_with_fonts(content)
    drawing = drawing[drawing.index("<svg"):]
    # The figure's text alternative is the list of steps below; the drawing itself is hidden
    # from screen readers (ReportLab titles it "...").
    drawing = re.sub(r"<title>.*?</title>\s*<desc>.*?</desc>", "", drawing, count=1, flags=re.S)
    drawing = drawing.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    steps = []
    for n, step in enumerate(content.pathway):
        shown = f' <span class="shown">({SHOWN_IN[step.shown_in]})</span>' if n else ""
        refs = p.ref_links(step.refs)
        steps.append(f"<li><strong>{p.rich(step.label)}</strong>{shown}: {p.block(step.detail)}"
                     + (f" [{refs}]" if refs else "") + "</li>")
    caption = ("The proposed mechanism, one box per step. Each arrow shows the strongest kind of study "
               "behind that step: a solid line for humans, dashed for mice, dotted for cells. "
               "The steps, in order:")
    return (f'<figure class="mechanism" aria-labelledby="x-mechanism-caption"><div class="diagram">{drawing}</div>'
            f'<figcaption id="x-mechanism-caption">{esc(caption)}</figcaption>'
            f'<ol class="steps">{"".join(steps)}</ol></figure>')


def glance(content: Content) -> str:
    counts = verdict_counts(content)
    total = sum(n for _, n in counts)
    parts = "".join(f'<span class="part v-{v}" style="flex-grow: {n}">{VERDICT_MARKS[v]} {n}</span>'
                    for v, n in counts if n)
    items = "".join(
        f'<li><span class="mark" aria-hidden="true">{VERDICT_MARKS[v]}</span> <strong>{VERDICT_WORDS[v]}</strong> '
        f'({n} claim{"" if n == 1 else "s"}): {esc(VERDICT_MEANINGS[v])}</li>' for v, n in counts)
    return (f'<figure class="glance" aria-labelledby="x-glance-caption">'
            f'<figcaption id="x-glance-caption">Evidence at a glance: the article\'s {total} '
            f'claim{"" if total == 1 else "s"} by verdict</figcaption>'
            f'<div class="bar" aria-hidden="true">{parts}</div><ul>{items}</ul></figure>')


def claims_table(content: Content, p: Page) -> str:
    head = ["The article says", "Verdict", "Evidence", "What the evidence shows", "References"]
    rows = []
    for claim in content.claims:
        note = f'<div class="note">{p.block(claim.note)}</div>' if claim.note else ""
        rows.append(
            f'<tr id="claim-{esc(claim.id)}"><th scope="row">“{esc(claim.quote)}”</th>'
            f'<td class="verdict v-{claim.verdict}"><span class="mark" aria-hidden="true">'
            f'{VERDICT_MARKS[claim.verdict]}</span> {VERDICT_WORDS[claim.verdict]}</td>'
            f'<td>{esc(EVIDENCE_WORDS[claim.evidence])}</td>'
            f'<td><div>{p.block(claim.statement)}</div>{note}</td><td>{p.ref_links(claim.refs)}</td></tr>')
    header = "".join(f'<th scope="col">{h}</th>' for h in head)
    return ('<div class="table-wrap" role="region" aria-labelledby="x-claims-caption" tabindex="0">'
            '<table><caption id="x-claims-caption">Each claim of the article: its words, the verdict, the '
            'kind of evidence and what the evidence shows</caption>'
            f'<thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _stop(markup: str, text: str) -> str:
    return markup if text_of(text).endswith((".", "?", "!")) else markup + "."


def reference(r: Reference, p: Page) -> str:
    text = f"{esc(r.authors)} ({r.year}). {_stop(p.rich(r.title), r.title)} "
    text += f"<i>{p.rich(r.journal)}</i> {esc(r.locator)}." if r.locator else f"<i>{_stop(p.rich(r.journal), r.journal)}</i>"
    if r.doi:
        text += f' <a href="{esc(r.doi_url)}">{esc("https://doi.org/" + r.doi)}</a>'
    if r.url:
        text += f' <a href="{esc(r.url)}">{esc(r.url)}</a>'
    if r.note:
        text += f" <i>{p.rich(r.note)}</i>"  # a reference note is one line
    return f'<li id="ref-{esc(r.id)}">{text}</li>'


def page(doc: Document, key: str = "") -> str:
    content = doc.content
    a = content.article
    p = Page(content)
    toc: list[tuple[str, str]] = []  # (anchor, heading markup)
    main: list[str] = []

    if content.takeaways:
        items = "".join(f"<li>{p.block(t.text)}</li>" for t in content.takeaways)
        main.append(_section("x-takeaways", "Key takeaways", f"<ol>{items}</ol>", "takeaways"))
    contents_at = len(main)  # the contents follow the takeaways, as in the PDF
    corrections = [s for s in content.sections if s.id == CORRECTIONS]
    for s in content.sections:
        if s.id != CORRECTIONS:
            toc.append((f"s-{s.id}", p.rich(s.heading)))
            main.append(_section(f"s-{s.id}", p.rich(s.heading), p.body(s.body)))
    if content.pathway:
        toc.append(("x-mechanism", "The proposed mechanism, step by step"))
        main.append(_section("x-mechanism", toc[-1][1], mechanism(content, p)))
    if content.claims:
        toc.append(("x-claims", "Claim by claim: what the evidence shows"))
        main.append(_section("x-claims", toc[-1][1], glance(content) + claims_table(content, p)))
    for s in corrections:
        toc.append((f"s-{s.id}", p.rich(s.heading)))
        main.append(_section(f"s-{s.id}", p.rich(s.heading), p.body(s.body)))
    if content.glossary:
        toc.append(("x-glossary", "Glossary"))
        entries = "".join(f"<dt>{p.rich(g.term)}</dt><dd>{p.block(g.definition)}</dd>"
                          for g in alphabetical(content.glossary))
        main.append(_section("x-glossary", "Glossary", f"<dl>{entries}</dl>"))
    if content.references:
        toc.append(("x-references", "References"))
        refs = "".join(reference(r, p) for r in content.references)
        main.append(_section("x-references", "References", f'<ol class="references">{refs}</ol>'))
    previews = card_previews(doc, p)
    if previews:
        toc.append(("x-cards", "Card preview"))
        main.append(_section("x-cards", "Card preview", previews))

    kicker = f"Study explainer · version {a.version.isoformat()}"
    if a.checked:
        kicker += f" · evidence checked {a.checked.isoformat()}"
    header = [f'<p class="kicker">{esc(kicker)}</p>', f"<h1>{p.rich(a.title)}</h1>"]
    if a.subtitle:
        header.append(f'<p class="subtitle">{p.rich(a.subtitle)}</p>')
    header.append(f'<div class="summary">{p.body(a.summary)}</div>')
    if a.notice:
        header.append(f'<div class="notice" role="note">{p.body(a.notice)}</div>')
    if toc:
        links = "".join(f'<li><a href="#{anchor}">{text}</a></li>' for anchor, text in toc)
        main.insert(contents_at, f'<nav aria-labelledby="contents-h"><h2 id="contents-h">Contents</h2>'
                                 f'<ol>{links}</ol></nav>')
    closing = []
    if a.notice:
        closing.append(p.body(a.notice))
    if a.checked:
        closing.append(f"<p>{esc(f'The evidence was last checked on {long_date(a.checked)}.')}</p>")
    closing.append(f"<p>{esc(f'Content version {a.version.isoformat()}. Made with studygen {__version__}.')}</p>")
    generator = f"studygen {__version__}" + (f"; build {key}" if key else "")
    # One join: with thousands of card previews the page is tens of megabytes, and each
    # concatenation would copy all of it again.
    return "".join([
        f'<!DOCTYPE html>\n<html lang="{LANG}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(text_of(a.title))}</title>\n"
        f'<meta name="description" content="{esc(text_of(a.summary))}">\n'
        f'<meta name="generator" content="{esc(generator)}">\n'
        f"<style>\n{CSS}{deck_css()}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the text</a>\n<div class="page">\n'
        f'<header>{"".join(header)}</header>\n<main id="main">\n',
        *(piece for n, section in enumerate(main) for piece in (("\n", section) if n else (section,))),
        "\n</main>\n"
        f'<footer>{"".join(closing)}</footer>\n</div>\n</body>\n</html>\n'])


# --- card preview -------------------------------------------------------------------------

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_NIGHT = re.compile(r"\.(?:nightMode|night_mode)\b\s*")


def deck_css() -> str:
    """The deck's stylesheet for the preview: every selector inside ``.anki`` (so it styles the
    cards, not the page), and its night-mode rules applied when the reader's system is dark."""
    from generator.render.anki import CSS as DECK

    css = re.sub(r"/\*.*?\*/", "", DECK, flags=re.S)
    light, dark = [], []
    for selectors, body in _RULE.findall(css):
        names = [s.strip() for s in selectors.split(",") if s.strip()]
        night = [s for s in names if _NIGHT.search(s)]
        day = [s for s in names if not _NIGHT.search(s)]
        if day:
            light.append(", ".join(f".anki {s}" for s in day) + " {" + body.strip() + "}")
        if night:
            plain_names = list(dict.fromkeys(_NIGHT.sub("", s).strip() or ".card" for s in night))
            dark.append(", ".join(f".anki {s}" for s in plain_names) + " {" + body.strip() + "}")
    out = "/* The deck's own stylesheet (studygen note types), for the card preview. */\n"
    out += "\n".join(light) + "\n"
    if dark:
        out += "@media (prefers-color-scheme: dark) {\n" + "\n".join(dark) + "\n}\n"
    return out


def card_previews(doc: Document, p: Page) -> str:
    from generator.render import anki, cardview

    notes = anki.notes(doc.content)
    if not notes:
        return ""
    media = {name: data for name, data in anki.media(doc)}
    taken: set[str] = set()
    groups = []
    for kind, model in anki.MODELS.items():
        per_note = [cardview.cards(note) for note in notes if note.kind == kind]
        views = [view for note_views in per_note for view in note_views]
        if not views:
            continue
        items = "".join(card_preview(view, media, several=len(note_views) > 1, ident=preview_id(view, taken))
                        for note_views in per_note for view in note_views)
        count = len({v.note.key for v in views})
        groups.append(f'<section aria-labelledby="x-cards-{kind}"><h3 id="x-cards-{kind}">{esc(model.name)}</h3>'
                      f'<p>{count} note{"" if count == 1 else "s"}, {len(views)} card{"" if len(views) == 1 else "s"}.</p>'
                      f'<div class="previews">{items}</div></section>')
    intro = ("<p>Every card of the deck as Anki shows it, front and back, with the deck's own templates and "
             "stylesheet, grouped by note type. Each card is named by its note's id in the content file "
             "(glossary notes by their term) and, when a note makes several cards, the card's number.</p>")
    return "".join([intro, *groups])


def preview_id(view, taken: set[str]) -> str:
    """An id for the card's preview, unique in the page (terms may differ only in punctuation)."""
    key = re.sub(r"[^A-Za-z0-9_.-]+", "-", view.note.key)
    ident = base = f"card-{view.note.kind}-{key}-{view.ordinal}"
    n = 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    taken.add(ident)
    return ident


def embed_media(card_html: str, media: dict[str, bytes]) -> str:
    """The card's media files as data URIs, so the page needs no other file."""
    for name, data in media.items():
        src = f'src="{esc(name)}"'
        if src in card_html:  # most cards show no media: encode only for those that do, once per file
            card_html = card_html.replace(src, f'src="{_data_uri(data)}"')
    return card_html


@lru_cache(maxsize=8)
def _data_uri(data: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def card_preview(view, media: dict[str, bytes], several: bool, ident: str) -> str:
    label = view.note.key + (f" #{view.ordinal}" if several else "")
    sides = "".join(
        f'<div class="side"><p class="side-label">{side}</p>'
        f'<div class="anki"><div class="card" data-side="{side.lower()}">{embed_media(body, media)}</div></div></div>'
        for side, body in (("Front", view.question), ("Back", view.answer)))
    return (f'<article class="preview" id="{ident}" aria-labelledby="{ident}-h" '
            f'data-note="{esc(view.note.key)}" data-card="{view.ordinal}">'
            f'<h4 id="{ident}-h"><span class="id">{esc(label)}</span> · {esc(view.template)}</h4>'
            f'<div class="sides">{sides}</div></article>')

