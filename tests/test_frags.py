"""Paragraph fragments made from studygen's markup are the ones ReportLab's own parser
makes, attribute by attribute, and paragraphs made from them print the same bytes."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from hypothesis import given, settings, strategies as st
from reportlab.lib.abag import ABag
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from generator.inline import parse
from generator.render.markup import reportlab_lines, to_reportlab
from generator.render.pdf import cards, explainer, fonts, frags, para
from generator.render.pdf.styles import styles
from generator.render.pdf.text import esc
from tests.conftest import CONTENT, ROOT
from tests.test_grammar_property import HOSTILE, REFS, WORDS, _inline

fonts.register()

# Text that tests ReportLab's reading: entities, quotes, white space of every kind it
# treats apart, soft hyphens, words wider than any line, URLs with query strings.
SPECIAL = ["a & b", "x < y > z", '"quoted"', "\u00a0", "1.\u00a0item", "anti\u00adaging", "soft\u00ad",
           "a  b", "  lead", "trail  ", "\t", "\n", "a\nb", "\r\n", "\u2009", "\u200b", "\u3000", "\x85",
           "\u202f", "\ufeff", "x" * 90, "https://doi.org/10.1016/j.cmet.2016.09.013?a=1&b=2",
           "\u00a0\u00a0", "a\u00a0 b", "\u00a0 ", "—", "NAD⁺", "\U0001F642"]


def _styles():
    found = dict(styles())
    found["plain body"] = para.plain_style(found["body"])
    for size in (7.0, 10.5, 13.0):
        found[f"card {size}"] = cards._style(size)
    found["source"] = cards._source_line("x", 100)[0].style
    return found


STYLES = _styles()


def _link(href: str, text: str) -> str:
    return explainer._link(href, text)


@st.composite
def studygen_markup(draw, depth: int = 2):
    """Paragraph markup as studygen's renderers write it: inline markup with citations as
    numbered links or short citations, cloze deletions shown or hidden, literal strings,
    links, anchors, line breaks, spans around any of it."""
    kind = draw(st.sampled_from(["rich", "card", "cloze", "literal", "link", "anchor", "br", "span"]
                                if depth else ["rich", "literal", "anchor", "br"]))
    hostile = draw(st.booleans())
    if kind == "rich":
        text, _ = draw(_inline(hostile, 2, False))
        return to_reportlab(text, cite=lambda ref: f"[{_link('#ref-' + ref, str(len(ref)))}]")
    if kind == "card":
        text, _ = draw(_inline(hostile, 2, False))
        lines = draw(st.sampled_from(["{0}", "{0}\n\n{0}", "- {0}\n- {0}", "1. {0}\n2. {0}"])).format(text)
        return reportlab_lines(lines, lambda unit: to_reportlab(unit, cite=lambda ref: esc(f"({ref} et al.)")))
    if kind == "cloze":
        text, _ = draw(_inline(hostile, 2, True))
        back = draw(st.booleans())
        return to_reportlab(parse(text, cloze=True), cite=lambda ref: esc(f"[@{ref}]"),
                            cloze=lambda node, inner: f"<b>{inner}</b>" if back else "[" + esc(node.hint or "…") + "]")
    if kind == "literal":
        return esc(draw(st.sampled_from(WORDS + HOSTILE + SPECIAL)))
    if kind == "link":
        href = draw(st.sampled_from(["https://doi.org/10.1/a&b", " https://x.org/?q=\"1\" ", "#ref-lee2008",
                                     "https://example.org/a_b<c>"]))
        return _link(href, esc(draw(st.sampled_from(WORDS + SPECIAL))))
    if kind == "anchor":
        return f'<a name="ref-{draw(st.sampled_from(REFS))}"/>'
    if kind == "br":
        return "<br/>"
    tag = draw(st.sampled_from(["b", "i", "super", "sub"]))
    inner = draw(st.lists(studygen_markup(depth - 1), min_size=1, max_size=3))
    return f"<{tag}>{''.join(inner)}</{tag}>"


def _paragraph_markup():
    return st.lists(studygen_markup(), min_size=0, max_size=5).flatmap(
        lambda parts: st.lists(st.sampled_from(["", " ", "  ", "\n", " \t"]), min_size=len(parts),
                               max_size=len(parts)).map(lambda seps: "".join(s + p for s, p in zip(seps, parts))))


def _attributes(frag) -> dict:
    def plain(value):
        if isinstance(value, ABag):  # an anchor's definition: compared by its contents
            return type(value), {k: plain(v) for k, v in value.__dict__.items()}
        return value
    return {"class": type(frag), **{k: plain(v) for k, v in frag.__dict__.items()}}


def _parsed(markup: str, style, clean: bool) -> list[dict]:
    _, found, _ = ParaParser().parse(cleanBlockQuotedText(markup) if clean else markup, style)
    return [_attributes(f) for f in found]


def _assert_same(markup: str, must_read: bool, names=tuple(STYLES), cleans=(True, False)) -> None:
    for name in names:
        style = STYLES[name]
        for clean in cleans:
            made = frags.fragments(markup, style, clean)
            if made is None:
                assert not must_read, (markup, name)
                continue
            cleaned, found = made
            assert cleaned == (cleanBlockQuotedText(markup) if clean else markup)
            assert [_attributes(f) for f in found] == _parsed(markup, style, clean), (markup, name, clean)


@settings(max_examples=120, deadline=None)
@given(_paragraph_markup(), st.lists(st.sampled_from(sorted(STYLES)), min_size=1, max_size=3, unique=True),
       st.booleans())
def test_fragments_of_studygen_markup_are_reportlabs(markup, names, clean):
    _assert_same(markup, must_read=True, names=names, cleans=(clean,))


@pytest.mark.parametrize("markup", [
    "", " ", "plain", "a &amp; b &lt;c&gt; &quot;d&quot;", "<b>x</b><br/><br/><i>y</i>",
    '<a name="ref-a"/>Lee (2008). <i>Cell</i> 1. <a href="https://doi.org/10.1/a&amp;b" color="#1f4e79">doi</a>',
    '[<a href="#ref-a" color="#1f4e79">1</a>, <a href="#ref-b" color="#1f4e79"><b>2</b></a>]',
    "NAD<super>+</super> H<sub>2</sub>O <b><i><super><sub>x</sub></super></i></b>",
])
def test_fragments_of_fixed_markup_are_reportlabs(markup):
    _assert_same(markup, must_read=True)


@pytest.mark.parametrize("markup", [
    "<u>under</u>", '<font color="red">x</font>', "&#160;", "&nbsp;", "a & b", "<b>x</i>", "<b>x", "x</b>",
    '<a href="a" color="#000000"><a href="b" color="#000000">x</a></a>', "<para>x</para>", "<span>x</span>",
    '<a name=""/>', "<strike>x</strike>", '<a href="x">no colour</a>', "<bullet>x</bullet>y",
])
def test_markup_studygen_does_not_write_is_left_to_reportlab(markup):
    for style in STYLES.values():
        assert frags.fragments(markup, style) is None


def test_a_style_that_underlines_links_or_changes_text_is_left_to_reportlab():
    from reportlab.lib.styles import ParagraphStyle

    body = styles()["body"]
    link = _link("#x", "1")
    assert frags.fragments(link, ParagraphStyle("u", body, linkUnderline=1)) is None
    assert frags.fragments("x", ParagraphStyle("t", body, textTransform="uppercase")) is None
    assert frags.fragments(link, body) is not None


def _drawn(markup: str, style, width: float, fast: bool) -> tuple[bytes, object]:
    with pytest.MonkeyPatch.context() as m:
        if not fast:
            m.setattr(para, "fragments", lambda *args, **kw: None)
        p = para.Paragraph(markup, style)
        p.wrap(width, 1e6)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, pageCompression=0)
        p.drawOn(canvas, 10, 10)
        for ref in REFS + ["nosuchref"]:  # where the paragraph's internal links point
            canvas.bookmarkPage(f"ref-{ref}")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue(), p


@settings(max_examples=40, deadline=None)
@given(_paragraph_markup(), st.sampled_from(["body", "cell", "reference", "card 10.5", "takeaway"]),
       st.sampled_from([18.0, 45.0, 120.0, 400.0]))
def test_paragraphs_print_the_same_with_and_without_reportlabs_parser(markup, style, width):
    """Also where a line overflows: a hyphenated paragraph is then made again without
    hyphenation, and splitLongWords cuts what does not fit."""
    fast, _ = _drawn(markup, STYLES[style], width, True)
    assert fast == _drawn(markup, STYLES[style], width, False)[0]


def test_an_overfull_hyphenated_paragraph_is_made_again_without_hyphenation(monkeypatch):
    url = esc("https://example.org/" + "averyveryverylongpathsegment" * 4 + "?a=1&b=2")
    markup = f"See <b>antiageing</b> at <a href=\"{url}\" color=\"#1f4e79\">{url}</a> &amp; more."
    made = []
    real = para.fragments
    monkeypatch.setattr(para, "fragments", lambda *args, **kw: made.append(args[1].name) or real(*args, **kw))
    fast, p = _drawn(markup, STYLES["body"], 150, True)
    assert made == ["body", "body-plain"]  # the second time without hyphenation, still without the parser
    assert p.style.name == "body-plain"
    assert fast == _drawn(markup, STYLES["body"], 150, False)[0]


@settings(max_examples=60, deadline=None)
@given(_paragraph_markup())
def test_the_glyph_check_reads_what_reportlabs_parser_reads(markup):
    markup += " \uf0b7 <b>\u0800</b>"  # characters the fonts lack, so the check reads the markup
    style = STYLES["card 13.0"]
    fast = fonts.in_paragraph(markup, style)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(frags, "fragments", lambda *args, **kw: None)
        assert fonts.in_paragraph(markup, style) == fast


def test_a_reference_is_read_without_reportlabs_parser():
    r = SimpleNamespace(id="lee2008", authors="Lee & Guarente", year=2008, title="NAD<sup>+</sup> **levels**",
                        locator="24(6):795–806", journal="*Cell* Metab", doi="10.1/a&b",
                        doi_url="https://doi.org/10.1%2Fa%26b", url="https://x.org/?a=1&b=2", note="A *note*.")
    p = explainer.reference(r, 1, lambda t: to_reportlab(t))
    assert frags.fragments(p._source, p.style) is not None
    assert [_attributes(f) for f in p.frags] == _parsed(p._source, p.style, True)


@pytest.mark.parametrize("path", [CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml"])
def test_card_sheets_are_the_same_with_and_without_reportlabs_parser(path):
    from generator.load import load
    from generator.render import Options

    def fresh(options):
        cards._checked.clear()
        cards._fitted.cache_clear()
        cards._sizes.clear()
        cards._source_line.cache_clear()
        return cards.render(load(path), options)

    for options in (Options(), Options(page_size="letter", cards_per_page=4)):
        fast = fresh(options)
        with pytest.MonkeyPatch.context() as m:
            m.setattr(para, "fragments", lambda *args, **kw: None)
            m.setattr(frags, "fragments", lambda *args, **kw: None)
            assert fresh(options) == fast


def test_a_style_reportlab_cannot_use_fails_as_reportlab_fails():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as ReportLabParagraph

    style = ParagraphStyle("unknown", fontName="NoSuchFont")
    assert frags.fragments("<b>x</b>", style) is None
    with pytest.raises(ValueError) as ours:
        para.Paragraph("<b>x</b>", style)
    with pytest.raises(ValueError) as theirs:
        ReportLabParagraph("<b>x</b>", style)
    assert str(ours.value) == str(theirs.value)
