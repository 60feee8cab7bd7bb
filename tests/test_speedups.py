"""Shortcuts taken for speed give exactly the bytes of the plain way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st
from reportlab.lib import colors
from reportlab.lib.rl_accel import sameFrag as _rl_same_frag
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Frame, paragraph, tables
from reportlab.platypus.tableofcontents import TableOfContents

from generator.load import load
from generator.render import Options
from generator.render.pdf import (accel, annots, doc as pdf_doc, explainer, faces, frags, linebreak, lines, para, reuse,
                                  serial, widths)
from generator.render.pdf import numbers as pdf_numbers
from tests.conftest import CONTENT, ROOT, fresh_cards


def plain_numbers(m: pytest.MonkeyPatch, *ours) -> None:
    """Every number written by ReportLab's own ``fp_str``, in ReportLab and in ``ours``."""
    m.setattr(pdf_numbers, "install", lambda: None)
    for module in pdf_numbers._modules() + ours:
        m.setattr(module, "fp_str", pdf_numbers._fp_str)


def plain_explainer(monkeypatch, path: Path, options: Options) -> bytes:
    """The explainer drawn on every pass, wrapping every paragraph afresh and measuring every space,
    every paragraph's markup read by ReportLab's own parser."""
    with monkeypatch.context() as m:
        m.setattr(para, "fragments", lambda *args, **kw: None)
        m.setattr(frags, "fragments", lambda *args, **kw: None)
        m.setattr(reuse, "install", lambda: None)
        m.setattr(paragraph.Paragraph, "wrap", reuse._original)
        m.setattr(paragraph.Paragraph, "split", reuse._original_split)
        m.setattr(tables.Table, "split", reuse._original_table_split)
        m.setattr(widths, "install", lambda: None)
        m.setattr(paragraph, "stringWidth", widths._measure)
        m.setattr(paragraph, "getAscentDescent", widths._extent)
        m.setattr(accel, "install", lambda: None)
        m.setattr(paragraph, "sameFrag", _rl_same_frag)
        m.setattr(paragraph.Paragraph, "breakLines", linebreak.break_lines.original)
        m.setattr(TTFont, "splitString", accel._split_string)
        m.setattr(pdf_doc._Frame, "add", Frame._add)
        m.setattr(pdf_doc._Frame, "_add", Frame._add)
        before = pdf_doc.Explainer.beforeDocument

        def every_pass_drawn(self):
            before(self)
            self.canv.layout_only = False

        m.setattr(pdf_doc.Explainer, "beforeDocument", every_pass_drawn)
        m.setattr(explainer.Mechanism, "_drawing", lambda self, stop: explainer.drawing(
            self.content, self.full, details=True, part=(self.start, stop)))

        def reportlabs_contents(self, availWidth, availHeight):
            size = TableOfContents.wrap(self, availWidth, availHeight)
            self._table.splitInRow = 1
            return size

        m.setattr(pdf_doc.Contents, "wrap", reportlabs_contents)
        m.setattr(lines, "install", lambda: None)
        m.setattr(paragraph.Paragraph, "drawPara", lines._draw_para)
        m.setattr(serial, "install", lambda: None)
        m.setattr(pdfdoc, "PDFName", serial._name)
        m.setattr(pdfdoc, "pdfdocEnc", serial._encode)
        m.setattr(annots, "install", lambda: None)
        m.setattr(pdfdoc.LinkAnnotation, "format", annots._format)
        plain_numbers(m)
        return explainer.render(load(path), options)


@pytest.mark.parametrize("path", [CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml"])
@pytest.mark.parametrize("options", [Options(), Options(page_size="letter")])
def test_the_explainer_is_the_same_with_and_without_layout_shortcuts(monkeypatch, path, options):
    fast = explainer.render(load(path), options)
    assert plain_explainer(monkeypatch, path, options) == fast
    assert explainer.render(load(path), options) == fast
    assert explainer.render_checked(load(path), options) == fast  # what build calls after its check


def test_a_diagram_split_over_pages_is_the_same_with_and_without_layout_shortcuts(monkeypatch, tmp_path):
    from tests.conftest import starter, write_content

    data = starter()
    steps = data["pathway"]
    # Eight steps over several pages; the fourth is taller than a page, so its part is shrunk.
    data["pathway"] = [dict(steps[i % len(steps)], id=f"p{i}",
                            detail=" ".join(["autophagy trial"] * (240 if i == 3 else 60))) for i in range(8)]
    path = write_content(tmp_path / "content", data)
    fast = explainer.render(load(path), Options())
    assert plain_explainer(monkeypatch, path, Options()) == fast
    assert explainer.render(load(path), Options()) == fast


@pytest.mark.parametrize("options", [Options(), Options(page_size="letter")])
def test_a_contents_list_over_pages_is_the_same_with_and_without_layout_shortcuts(monkeypatch, tmp_path, options):
    from tests.conftest import starter, write_content

    data = starter()
    # Enough sections for a contents list of two pages and more, whose numbers all move on when the
    # second pass knows how long it is; headings of one, two and many lines, one taller than a page.
    heading = "Autophagy and the sirtuins in ageing cells"
    data["sections"] = [{"id": f"s{i}", "heading": heading * (i % 3) + f" {i}", "body": "Short."} for i in range(70)]
    data["sections"][40]["heading"] = " ".join(["autophagy"] * 900)
    path = write_content(tmp_path / "content", data)
    fast = explainer.render(load(path), options)
    assert plain_explainer(monkeypatch, path, options) == fast


def test_card_sheets_are_the_same_when_built_after_check_and_alone():
    from generator.render.pdf import cards

    doc = load(CONTENT)
    assert cards.check(doc, Options()) == []
    after_check = cards.render(doc, Options())  # reuses the check's answer and measured faces
    cards._checked.clear()
    cards._fitted.cache_clear()
    cards._laid_out.cache_clear()
    cards._sizes.clear()
    cards._source_line.cache_clear()
    assert cards.render(load(CONTENT), Options()) == after_check
    cards._checked.clear()
    cards._fitted.cache_clear()
    cards._laid_out.cache_clear()
    cards._sizes.clear()
    assert cards.render_checked(load(CONTENT), Options()) == after_check  # what build's workers call


def _crop_marks_line_by_line(canvas, g, page):
    from generator.render.pdf.cards import TICK, mm

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


@pytest.mark.parametrize("options", [Options(), Options(page_size="letter", cards_per_page=16, duplex="short")])
def test_card_sheets_are_the_same_drawn_the_plain_way(monkeypatch, tmp_path, options):
    """Without ReportLab's helpers replaced, every width measured, every face's markup made
    again for the render, every face laid out for its own box and every paragraph drawn by
    ReportLab each time (generated content has reverse cards, whose faces come twice, and
    many cards with one source line)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    paths = [CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml",
             workloads.generated(tmp_path, "gen", cards=60, terms=6)]
    fast = [fresh_cards().render(load(path), options) for path in paths]
    cards = fresh_cards()
    with monkeypatch.context() as m:
        m.setattr(accel, "install", lambda: None)
        m.setattr(paragraph, "sameFrag", _rl_same_frag)
        m.setattr(paragraph.Paragraph, "breakLines", linebreak.break_lines.original)
        m.setattr(TTFont, "splitString", accel._split_string)
        m.setattr(widths, "install", lambda: None)
        m.setattr(paragraph, "stringWidth", widths._measure)
        m.setattr(paragraph, "getAscentDescent", widths._extent)
        m.setattr(lines, "install", lambda: None)
        m.setattr(paragraph.Paragraph, "drawPara", lines._draw_para)
        m.setattr(serial, "install", lambda: None)
        m.setattr(pdfdoc, "PDFName", serial._name)
        m.setattr(pdfdoc, "pdfdocEnc", serial._encode)
        m.setattr(cards, "_faces_of", lambda doc: {})
        m.setattr(cards, "_draw", lambda para, canvas, x, y: para.drawOn(canvas, x, y))
        m.setattr(cards, "_labels", lambda canvas, left, right, y, label, edge: (
            canvas.drawString(left, y, label), canvas.drawRightString(right, y, edge)))
        m.setattr(cards, "_fill", lambda canvas, color: canvas.setFillColor(color))
        m.setattr(cards, "_crop_marks", _crop_marks_line_by_line)
        m.setattr(cards, "_line", cards._line.__wrapped__)
        m.setattr(cards, "_edge_line", cards._edge_line.__wrapped__)
        m.setattr(cards, "_fitted", lambda markup, width, height: _fitted_alone(cards, markup, width, height))
        m.setattr(faces, "lay_out", lambda markup, style, width: None)  # source lines as paragraphs too
        plain_numbers(m, cards, faces)
        assert [cards.render(load(path), options) for path in paths] == fast


# Printable ASCII, PDF string escapes, and more characters outside ASCII than one font
# subset holds (a second subset starts after 224 of them).
_LABEL_CHARS = st.sampled_from(list("ab ()\\\r\t-·…") + [chr(c) for c in range(0x100, 0x100 + 300)])


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(st.text(_LABEL_CHARS, max_size=40), min_size=1, max_size=12),
       size=st.sampled_from([5.5, 7.0, 12.0]), x=st.floats(0, 600), y=st.floats(0, 800))
def test_card_labels_are_written_as_reportlabs_text_objects_write_them(texts, size, x, y):
    import io

    from reportlab.pdfgen.canvas import Canvas

    from generator.render.pdf import cards
    from generator.render.pdf.fonts import REGULAR, register

    register()
    theirs, ours = (Canvas(io.BytesIO(), initialFontName=REGULAR) for _ in range(2))
    for canvas in (theirs, ours):
        canvas.setFont(REGULAR, size)
    for text in texts:
        theirs.drawString(x, y, text)
        theirs.drawRightString(x + 100, y, text)
        cards._labels(ours, x, x + 100, y, text, text)
    assert ours._code == theirs._code


def test_card_labels_written_again_in_another_document_use_its_codes():
    """A line written before in one document is written with the codes of the next one, where
    its characters came in another order."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from generator.render.pdf import cards
    from generator.render.pdf.fonts import REGULAR, register

    register()
    for order in (["\u03b1\u03b2 a", "\u03b2\u03b3 b"], ["\u03b2\u03b3 b", "\u03b1\u03b2 a"]):
        theirs, ours = (Canvas(io.BytesIO(), initialFontName=REGULAR) for _ in range(2))
        for canvas in (theirs, ours):
            canvas.setFont(REGULAR, 5.5)
        for text in order + order:
            theirs.drawString(1, 2, text)
            cards._text_line(ours, 1, 2, text)
        assert ours._code == theirs._code


def _fitted_alone(cards, markup: str, width: float, height: float):
    size = cards.MAX_SIZE
    while size >= cards.MIN_SIZE:
        para = paragraph.Paragraph(markup, cards._style(size))
        _, used = para.wrap(width, height)
        if used <= height:
            return para, used
        size -= 0.5
    return None


_STYLE_VALUES = st.fixed_dictionaries({}, optional={
    "fontName": st.sampled_from(["DejaVuSerif", "DejaVuSerif-Bold"]), "fontSize": st.sampled_from([7, 7.0, 13]),
    "textColor": st.sampled_from([None, colors.black, colors.Color(0, 0, 0, 1), colors.red]),
    "rise": st.sampled_from([0, 0.0, 3]), "us_lines": st.sampled_from([[], [("u",)]]),
    "link": st.sampled_from([[], None]), "backColor": st.sampled_from([None, colors.yellow]),
    "nobr": st.sampled_from([None, True]), "cbDefn": st.just(None), "lineBreak": st.sampled_from([0, True]),
    "text": st.sampled_from(["a", "b"]), "bold": st.sampled_from([0, 1])})


@settings(max_examples=300, deadline=None)
@given(_STYLE_VALUES, _STYLE_VALUES, st.booleans())
def test_the_run_comparison_answers_as_reportlabs_compiled_one(f, g, share):
    from reportlab.platypus.paraparser import ParaFrag

    first = ParaFrag(**f)
    second = ParaFrag(**(f if share else g))
    assert bool(accel.same_frag(first, second)) == bool(_rl_same_frag(first, second))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
                | st.sampled_from(["plain", "NAD\u207a", "a\u00a0b", "\u2265 2", "\U0001F600", ""]),
                min_size=1, max_size=40))
def test_font_subsetting_gives_reportlabs_codes_in_reportlabs_order(texts):
    """Many new characters (a second subset of 256 codes), characters the font lacks, no-break spaces."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    from generator.render.pdf.fonts import REGULAR, register

    register()
    font = pdfmetrics.getFont(REGULAR)
    plain, fast = Canvas(io.BytesIO())._doc, Canvas(io.BytesIO())._doc
    extra = [chr(c) * 2 for c in range(0x400, 0x400 + 300)]  # beyond the first subset
    for text in texts + extra + texts + extra:
        assert accel._split(font, text, fast) == accel._split_string(font, text, plain), text
    assert font.state[fast].assignments == font.state[plain].assignments
    assert font.state[fast].subsets == font.state[plain].subsets


@pytest.mark.parametrize("markup", ["plain text, every face has it", "<b>bold</b> and <i>italic</i>",
                                    "a\u00a0non-breaking\tspace", "a Word bullet \uf0b7 here", "emoji \U0001F600",
                                    "&#xf0b7; by entity", "<b>\u0800</b> in bold", "&amp; and &lt;"])
def test_the_glyph_check_skips_parsing_only_when_nothing_can_be_missing(markup):
    from reportlab.platypus.paraparser import ParaParser

    from generator.render.pdf import fonts
    from generator.render.pdf.cards import _style

    fonts.register()
    style = _style(10)
    _, frags, _ = ParaParser().parse(markup, style)
    parsed = [(f.fontName, " ".join(f.text.split())) for f in frags if getattr(f, "text", "")]
    assert fonts.glyph_problems([("x", fonts.in_paragraph(markup, style))]) \
        == fonts.glyph_problems([("x", parsed)])


def _words() -> list[str]:
    import re

    text = CONTENT.read_text(encoding="utf-8") + (CONTENT.parent / "nmn-autophagy.source.txt").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"[^\W\d_]+", text)))


# en_GB is the explainer's; de_DE and hu_HU have non-standard hyphenation ("ff=f") that
# pyphen itself handles; the others are read lazily, Cyrillic and Greek ones included.
@pytest.mark.parametrize("lang", ["en_GB", "en_US", "de_DE", "hu_HU", "nl_NL", "fr", "ru_RU", "el_GR"])
def test_the_lazily_read_dictionary_hyphenates_as_pyphen_does(lang):
    import pyphen
    from hypothesis import example, given, settings, strategies as st

    from generator.render.pdf import hyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    ours = hyphen.Hyphenator(path, left=2, right=3)
    theirs = pyphen.Pyphen(filename=path, left=2, right=3)
    for word in _words() + ["Autophagy", "NICOTINAMIDE", "mononucleotide", "a", ""]:
        assert list(ours.iterate(word)) == list(theirs.iterate(word)), word

    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßéèçñáóőűабвгдежзиклмнопрстуфхцчшщыэюяαβγδεζηθικλμνξοπρστυφχψω",
                   min_size=1, max_size=20))
    def same(word):
        assert list(ours.iterate(word)) == list(theirs.iterate(word))

    same()


# The card check knows most faces fit from an upper bound on their lines, without laying them
# out; the bound must never be below ReportLab's own count, or check would pass a card build fails on.
_PIECES = ["NAD^{+}", "**autophagy**", "*in vitro*", "H_{2}O", "SIRT1", "“recycling”", "≥ 2 weeks", "β-cells",
           "lysosome", "a", "of", "mitochondrial-biogenesis-regulating", "W" * 30, "x&y <z>", "\"quoted\"",
           "[@r1]", "Nicotinamide", "riboside", "\u00a0", "tab\there", "2,000"]


def _faces_of(path: Path) -> list[str]:
    from generator.render.pdf import cards

    content = load(path).content
    cite = cards._cite(content)
    return [cards._face(card, back, cite) for card in cards.study_cards(content) for back in (False, True)]


def _lines(markup: str, size: float, width: float) -> int:
    from generator.render.pdf.cards import _style

    para = paragraph.Paragraph(markup, _style(size))
    para.wrap(width, 1e6)
    return len(para.blPara.lines)


@pytest.mark.parametrize("path", [CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml"])
def test_the_card_line_bound_is_never_below_reportlabs_count(path):
    from generator.render.pdf.fitting import lines_at_most

    known = 0
    for n, face in enumerate(_faces_of(path)):
        for size, width in ((13.0, 260.0), (7.0, 130.0), (9.5, 60.0 + n % 150)):
            bound = lines_at_most(face, size, width)
            if bound is not None:
                known += 1
                assert bound >= _lines(face, size, width), (face, size, width)
    assert known  # the bound is known for ordinary faces


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=25), st.booleans()),
                min_size=1, max_size=4),
       st.sampled_from([7.0, 9.5, 13.0]), st.floats(40, 300))
def test_the_card_line_bound_holds_for_any_markup(units, size, width):
    from generator.render.markup import reportlab_lines, to_reportlab
    from generator.render.pdf.fitting import lines_at_most
    from generator.render.pdf.fonts import register

    register()
    # Paragraphs and bullet lists, as a card's field may hold them.
    text = "\n\n".join("\n".join(f"- {w}" for w in words) if listed else " ".join(words)
                        for words, listed in units)
    markup = reportlab_lines(text, to_reportlab)
    bound = lines_at_most(markup, size, width)
    assert bound is None or bound >= _lines(markup, size, width)


@pytest.mark.parametrize("per_page", [8, 16, 30])
def test_the_card_check_finds_what_laying_out_every_face_finds(monkeypatch, per_page):
    from generator.render.pdf import cards

    options = Options(cards_per_page=per_page) if cards.grid_shape(cards.PAGE_SIZES["a4"], per_page) else Options()
    for path in (CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml"):
        fast = cards._check(load(path), options)
        with monkeypatch.context() as m:
            m.setattr(cards, "_fits_anyway", lambda *args: False)
            assert cards._check(load(path), options) == fast


def _near_duplicates_pairwise(items):
    """The near-duplicate rule as first written: every card against every earlier card with its answer."""
    from generator.cardrules import NEAR_DUPLICATE_SIMILARITY, _of, _short, content_words

    seen, pairs = {}, set()
    for item in items:
        answer = frozenset(content_words(item.answer))
        if not answer:
            continue
        prompt = frozenset(content_words(item.prompt))
        group = seen.setdefault(answer, [])
        for other, other_prompt in group:
            if other.note == item.note or "near-duplicate" in other.allow:
                continue
            similar = len(prompt & other_prompt) / len(prompt | other_prompt) if prompt and other_prompt else 0.0
            if similar >= NEAR_DUPLICATE_SIMILARITY and (item.note, other.note) not in pairs:
                pairs.add((item.note, other.note))
                yield item.where, item.note, "near-duplicate", \
                    f"asks for {_short(item.answer)!r} much as {other.where}{_of(other.label)} does"
                break
        group.append((item, prompt))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.lists(st.sampled_from(
    "autophagy lysosome NAD+ which what cells mice raise lower level the of enzyme Complex I".split()),
    max_size=8), st.sampled_from(["NAD+", "SIRT1", "the", "lysosomes", "NAD+ and SIRT1"]), st.booleans()),
    max_size=40))
def test_near_duplicates_are_found_as_comparing_every_pair_finds_them(cards):
    from generator import cardrules

    items = [cardrules.Item(f"cards[{note}]", f"n{note}", f"card {i}", "basic", " ".join(prompt), answer,
                            frozenset(["near-duplicate"] if allow else []))
             for i, (note, prompt, answer, allow) in enumerate(cards)]
    assert list(cardrules._duplicates(items)) == list(_near_duplicates_pairwise(items))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.lists(st.sampled_from(
    [f"word{n}" for n in range(24)] + "the of which Complex I".split()), max_size=30),
    st.sampled_from(["NAD+", "SIRT1"]), st.integers(0, 9)), max_size=120))
def test_near_duplicates_among_long_prompts_in_large_groups_are_found_as_comparing_every_pair_finds_them(cards):
    # Long prompts share up to two dozen words: counts that need five bits.
    from generator import cardrules

    items = [cardrules.Item(f"cards[{note}]", f"n{note}", f"card {i}", "basic", " ".join(prompt), answer,
                            frozenset(["near-duplicate"] if allow == 0 else []))
             for i, (note, prompt, answer, allow) in enumerate(cards)]
    assert list(cardrules._duplicates(items)) == list(_near_duplicates_pairwise(items))


def test_near_duplicates_of_a_generated_deck_are_found_as_comparing_every_pair_finds_them(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import workloads
    from generator import cardrules

    items = cardrules._items(load(workloads.generated(tmp_path, "dups", cards=600, terms=60)).content)
    found = list(cardrules._duplicates(items))
    assert found and found == list(_near_duplicates_pairwise(items))


def test_what_is_made_once_per_content_is_never_reused_for_another(tmp_path):
    """Study cards, the deck's notes and the card sheets' citations are made once per loaded
    content; a batch or a watch rebuild loads other content in the same process."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import workloads
    from generator import study
    from generator.render import anki
    from generator.render.pdf import cards

    other = workloads.generated(tmp_path, "other", cards=30, terms=5)

    def forget():
        study._study_cards.forget()
        anki._notes.forget()
        anki._lookups_of.forget()

    def made(doc):
        return study.study_cards(doc.content), anki.notes(doc.content), cards.render(doc, Options())

    forget()
    alone = made(load(other))
    forget()
    first = made(load(CONTENT))
    assert made(load(other)) == alone
    assert made(load(CONTENT)) == first != alone


class _Node:
    def __init__(self):
        self.me = self  # a cycle: only the cycle collector frees it


def test_a_settled_render_still_frees_cycles_and_leaves_nothing_frozen():
    import gc
    import weakref

    from generator.render.settled import settled

    before = _Node()
    old = weakref.ref(before)
    with pytest.raises(RuntimeError):
        with settled():
            assert gc.get_freeze_count() > 0
            made = _Node()
            new = weakref.ref(made)
            del made, before
            gc.collect()
            assert new() is None  # made during the render: collected as usual
            raise RuntimeError
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert old() is None  # it existed before and became garbage meanwhile: collected afterwards


def test_a_freeze_made_by_the_caller_outlives_a_settled_render():
    import gc

    from generator.render.settled import settled

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with settled():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def _settled_in_a_new_process(before: str) -> list[str]:
    script = "\n".join([
        "import gc, weakref",
        "class Node:",
        "    def __init__(self): self.me = self",
        before,
        "import generator.render.settled as settled",
        "kept = gc.get_freeze_count()",
        "old = Node(); ref = weakref.ref(old)",
        "with settled.settled():",
        "    inside = gc.get_freeze_count()",
        "    del old",
        "gc.collect()",
        "print(inside > kept, ref() is None)",
    ])
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_render_is_settled_where_python_keeps_objects_of_its_own_frozen():
    # Python 3.12 starts with a few hundred of its own objects frozen: the render still settles.
    assert _settled_in_a_new_process("gc.freeze()") == ["True", "True"]


def test_a_worker_that_froze_what_it_inherits_keeps_it_frozen():
    # What the worker froze stays frozen through a render: a cycle it inherited is not collected.
    assert _settled_in_a_new_process(
        "inherited = Node(); was = weakref.ref(inherited)\n"
        "import generator.render.settled as s\n"
        "s.freeze_for_good()\n"
        "del inherited") == ["False", "True"]
    done = subprocess.run([sys.executable, "-c", "\n".join([
        "import gc, weakref",
        "class Node:",
        "    def __init__(self): self.me = self",
        "inherited = Node(); was = weakref.ref(inherited)",
        "import generator.render.settled as s",
        "s.freeze_for_good()",
        "del inherited",
        "with s.settled(): pass",
        "gc.collect()",
        "print(was() is None)"])], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True)
    assert done.stdout.split() == ["False"], done.stderr


def test_card_sheets_leave_no_object_frozen():
    import gc

    from generator.render.pdf import cards

    assert gc.get_freeze_count() == 0
    pdf = cards.render(load(CONTENT), Options())
    assert gc.get_freeze_count() == 0
    assert pdf.startswith(b"%PDF")


def _edited(tmp_path: Path, name: str, edit) -> Path:
    """A copy of the fixture content with ``edit`` applied to its TOML text."""
    import shutil

    folder = tmp_path / name
    folder.mkdir()
    text = CONTENT.read_text(encoding="utf-8")
    source = next(line.split('"')[1] for line in text.splitlines() if line.startswith("source = "))
    shutil.copyfile(CONTENT.parent / source, folder / source)
    path = folder / CONTENT.name
    path.write_text(edit(text), encoding="utf-8")
    return path


def _swap_first_and_last_reference(text: str) -> str:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line == "[[references]]"]
    assert len(starts) > 1

    def block(start):
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
        return start, end
    (a, a_end), (b, b_end) = block(starts[0]), block(starts[-1])
    return "\n".join(lines[:a] + lines[b:b_end] + lines[a_end:b] + lines[a:a_end] + lines[b_end:])


def test_the_diagram_is_made_again_when_what_it_shows_changes(tmp_path):
    """The diagram's SVG is kept while the steps and the references' order stay the same
    (watch reloads, copies in a batch); a changed label, or references in another order
    (the steps' citation numbers), give the SVG drawn afresh."""
    import re

    from generator.render.pdf import diagram
    from generator.render.pdf.svg_fonts import embed_fonts

    first = re.search(r'^\[\[references\]\]\nid = "([^"]+)"', CONTENT.read_text(encoding="utf-8"), re.M).group(1)

    def cite(text):  # the first step's label cites the first reference: "[1]" in the diagram
        return re.sub(r'^(label = "[^"]*)"', rf'\1 [@{first}]"', text, count=1, flags=re.M)
    cited = _edited(tmp_path, "cited", cite)
    moved = _edited(tmp_path, "moved", lambda t: _swap_first_and_last_reference(cite(t)))
    docs = [load(CONTENT), load(cited), load(moved), load(CONTENT)]
    made = [diagram.svg_with_fonts(doc.content) for doc in docs]
    assert made == [embed_fonts(diagram.svg(doc.content)) for doc in docs]
    assert made[0] == made[3] and len({made[0], made[1], made[2]}) == 3


def test_build_keys_follow_every_content_change(tmp_path):
    """Keys come from one dump of the content per content: a second content gets its own."""
    import re

    from generator import buildkey, model
    from generator.render import FORMATS

    other = _edited(tmp_path, "other", lambda t: re.sub(r'^(back = ")', r"\1Also ", t, count=1, flags=re.M))
    for path in (CONTENT, other, CONTENT):
        doc = load(path)
        for fmt in FORMATS.values():
            plain = model.dump(doc.content, exclude=set(fmt.ignores))
            assert buildkey.content_data(doc.content, fmt.ignores) == plain
            # the deck's content stamp is this data as JSON
            assert model.to_json(buildkey.content_data(doc.content, fmt.ignores)) == \
                model.dump_json(doc.content, exclude=set(fmt.ignores))
    assert buildkey.key(load(CONTENT), FORMATS["anki"], Options()) != buildkey.key(load(other), FORMATS["anki"],
                                                                                     Options())


def _logical_lines_char_by_char(text: str):
    """Line numbers' scan as first written: every character of a value read one at a time."""
    from generator.locate import _HEADER, _KEY, _escaped

    depth, quote = 0, ""
    for number, line in enumerate(text.split("\n"), 1):
        i, n = 0, len(line)
        if not quote and depth == 0:
            yield number, line
            if _HEADER.match(line):
                continue
            key = _KEY.match(line)
            i = key.end() if key else n
        while i < n:
            if quote:
                end = line.find(quote, i)
                while end > 0 and quote == '"""' and _escaped(line, end):
                    end = line.find(quote, end + 1)
                if end < 0:
                    break
                i = end + 3
                while i < n and line[i] == quote[0]:
                    i += 1
                quote = ""
                continue
            c = line[i]
            if c == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                quote = line[i:i + 3]
                i += 3
            elif c in "\"'":
                end = i + 1
                while end < n and line[end] != c:
                    end += 2 if c == '"' and line[end] == "\\" else 1
                i = end + 1
            else:
                if c in "[{":
                    depth += 1
                elif c in "]}":
                    depth = max(0, depth - 1)
                i += 1


_SCANNED = st.sampled_from(['"', "'", '"""', "'''", "\\", "\\\\", "#", "[", "]", "{", "}", "[[cards]]", "x", " ",
                            "\r", "\\\"", "é", "=", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["key = ", "a=", "", " [table]", "[[cards]]"]),
                          st.lists(_SCANNED, max_size=12).map("".join)), max_size=8)
       .map(lambda lines: "\n".join(key + value for key, value in lines)))
def test_line_numbers_scan_the_text_as_reading_every_character_does(text):
    from generator.locate import _logical_lines

    assert list(_logical_lines(text)) == list(_logical_lines_char_by_char(text))


_TRICKY_VALUES = ['"a"', '""', '""""', '["a", "b"]', '[""""]', '["""a"""]', '[""" """]', '["a""b"]', '"a""b"',
                  '"a" # [x', '"a # [b" ', '["a", ["b"]]', '["a",', 'true', '2026-01-01 # x', '"a\\"b"',
                  "'a'", '["a"] "', '"a" "', '{a = "b"}', '"""', '"""a"""', '["""a]', '[]', '"a" ]', '"a"\r']


def test_line_numbers_scan_one_line_values_as_reading_every_character_does():
    """Values a quick look takes whole, and look-alikes it must leave to the full scan."""
    from generator.locate import _logical_lines

    for value in _TRICKY_VALUES:
        for after in ("", '\nb = 1', '\n]\nc = "x"', '\n"""\nd = 2'):
            text = f"a = {value}{after}"
            assert list(_logical_lines(text)) == list(_logical_lines_char_by_char(text)), text


def test_line_numbers_scan_content_files_as_reading_every_character_does():
    from generator.locate import _logical_lines

    for path in [CONTENT, *sorted((ROOT / "tests" / "fixtures").glob("*.toml"))]:
        text = path.read_text(encoding="utf-8")
        assert list(_logical_lines(text)) == list(_logical_lines_char_by_char(text)), path


def _given_away_as_first_written(prompt: str, answer: str) -> bool:
    import re

    from generator.cardrules import GIVEAWAY_SHARE, _contains, content_words, stem, words

    def acronym_in(acronym: str, text: str) -> bool:
        letters = acronym.lower()
        spelled = re.findall(r"[^\W\d_]+", text)
        return len(letters) >= 2 and any(
            all(len(w) >= 3 and not w.isupper() for w in spelled[i:i + len(letters)])
            and "".join(w[0] for w in spelled[i:i + len(letters)]).lower() == letters
            for i in range(len(spelled) - len(letters) + 1))

    wanted = list(dict.fromkeys(content_words(answer)))
    if not wanted:
        return False
    have = frozenset(content_words(prompt, parts=True))
    originals = {stem(w): w for w in words(answer)}
    shown = sum(1 for w in wanted if _contains(have, w)
                or (originals.get(w, "").isupper() and acronym_in(originals[w], prompt)))
    return shown / len(wanted) >= GIVEAWAY_SHARE


_GIVEAWAY_WORDS = st.sampled_from(
    "NR nicotinamide riboside NAD+ Nicotinamide adenine dinucleotide Complex I II the of which controlled control "
    "controller lysosomes lysosome spindle-shaped spindle cells ΣΑ Σigma Alpha İstanbul NIR ar what is "
    "sirtu sirtui sirtuin".split())  # stems of five letters and the longer stems they begin


@settings(max_examples=300, deadline=None)
@given(st.lists(_GIVEAWAY_WORDS, max_size=10).map(" ".join), st.lists(_GIVEAWAY_WORDS, max_size=5).map(" ".join))
def test_a_giveaway_is_found_as_first_written(prompt, answer):
    from generator.cardrules import _given_away

    assert _given_away(prompt, answer) == _given_away_as_first_written(prompt, answer)


def test_the_card_bound_gives_up_on_exactly_the_white_space_it_does_not_model():
    # Every code point: one pattern search per forced line instead of a test of each character.
    from generator.render.pdf.fitting import _BREAK_AT, _OTHER_SPACE

    for code in range(0x110000):
        c = chr(code)
        modelled = bool(_BREAK_AT.fullmatch(c)) or c == "\u00a0"
        assert bool(_OTHER_SPACE.search(c)) == (c.isspace() and not modelled), hex(code)


def _typed(value):
    """A value with the type of every leaf, so that True and 1 differ."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return type(value).__name__, value


_TOML_VALUES = st.one_of(
    st.sampled_from(["true", "false", "0", "-0", "01", "+1", "1_000", "12345678901234567890", "2026-11-25",
                     "2026-02-30", "2026-11-25T10:00:00", "2026-11-25 10:00:00", "1.5", "inf", "[]", "[ ]",
                     '["a", "b",]', '["a" "b"]', "[1, 2]", '["a",\n"b"]', '"""\nx\n"""', '"""a""""', '"""a\\\nb"""',
                     '"""', "'lit'", "'''x'''", '"\\u00e9"', '"\\ud800"', '"\\e"', '"\\U0001F642"', '"\\x41"',
                     '"a" # c', '"a" x', "truex", "{a = 1}", '"\\\\"', '["\\n", "x\\"y"]']),
    st.lists(st.sampled_from(list('ab "\'#\\[]=\t\n\r\x00\x7f\x1féü🙂') + ["\\n", "\\t", "\\u0041", "\\", '\\"']),
             max_size=12).map(lambda s: '"' + "".join(s) + '"'),
)
_TOML_LINES = st.one_of(
    st.sampled_from(["", "# note", "[article]", "[[cards]]", "[[cards]] # x", "[ t ]", "[[t]", "[t]]", "[a.b]",
                     "a.b = 1", '"q" = 1', "[[article]]", "  [[cards]]", "\t[t]", "[cards]", "\ufeff[t]", "  # c"]),
    st.tuples(st.sampled_from(["id", "key", "t", "cards", "article", "a-b", "1", " id", "ké"]),
              st.sampled_from([" = ", "=", " =  ", " == ", " "]), _TOML_VALUES).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_TOML_LINES, max_size=12).map("\n".join), st.sampled_from(["", "\n", "\r\n", " # end"]))
@example('[t]\nkey = """\nx\n"""', "\n")
@example('key = """x\n"""\n[[cards]]\nid = "a\\n\\"b\\u00e9"\nrefs = ["a", "b\\t",]\nyear = -0\nv = 2026-11-25', "")
def test_the_quick_toml_reader_reads_what_tomllib_reads_or_leaves_it_to_tomllib(text, ending):
    import tomllib

    from generator import tomlfast

    text += ending
    fast = tomlfast.loads(text)
    try:
        want = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert fast is None
        return
    assert fast is None or _typed(fast) == _typed(want)


def test_the_quick_toml_reader_reads_content_files_whole(tmp_path):
    import sys
    import tomllib

    from generator import tomlfast

    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    paths = [CONTENT, ROOT / "tests" / "fixtures" / "nmn-autophagy.toml",
             workloads.generated(tmp_path, "toml", cards=300, terms=30)]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        fast = tomlfast.loads(text)
        assert fast is not None and _typed(fast) == _typed(tomllib.loads(text)), path


def test_a_card_paragraph_drawn_again_keeps_its_links():
    """The card sheets repeat what a paragraph drew the first time; a link is an annotation
    of the page, not drawn code, so a paragraph with one is drawn anew: the pages are those
    of drawing it with ReportLab each time."""
    import io

    from pypdf import PdfReader
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

    from generator.render.pdf import cards, fonts

    fonts.register()
    style = ParagraphStyle("probe", fontName=fonts.REGULAR, fontSize=10, leading=12)

    def sheet(draw) -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, invariant=1)
        made = para.Paragraph('See <a href="https://example.org/a" color="#0000ff">the source</a> now', style)
        made.wrap(200, 100)
        for y in (100, 300, 500):
            draw(made, canvas, 72, y)
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    ours = sheet(cards._draw)
    assert ours == sheet(lambda p, c, x, y: p.drawOn(c, x, y))
    assert len(PdfReader(io.BytesIO(ours)).pages[0]["/Annots"]) == 3


def test_two_contents_lists_on_one_page_each_print_their_own_page_numbers():
    """Each contents list looks its page numbers up through a callback of its own: both are
    laid out before either is drawn, so a shared callback would print the other's numbers."""
    import io

    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    from generator.render.pdf import fonts

    fonts.register()
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    lists = [pdf_doc.contents(), pdf_doc.contents()]
    for made, page in zip(lists, (7, 93)):
        made._lastEntries = [(0, f"Heading on {page}", page, None)]
        made._entries = list(made._lastEntries)
        made.canv = canvas
        made.wrap(300, 200)
    for made, y in zip(lists, (600, 300)):
        made.drawOn(canvas, 72, y)
    canvas.showPage()
    canvas.save()
    words = PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text().split()
    assert [w for w in words if w.isdigit()] == ["7", "7", "93", "93"]  # each heading, then its number


@pytest.mark.parametrize("options", [Options(), Options(page_size="letter")])
def test_every_paragraph_of_the_explainer_is_broken_into_lines_at_one_width(monkeypatch, options):
    """Tables measure their cells before the layout (blocks.table) at the width the table then
    gives them: a panel's wider left padding, a legend column without padding.  Paragraphs are
    broken again only without hyphenation (para.Paragraph.breakLines), never at a second width."""
    widths_of: dict[int, set] = {}
    kept = []  # so that no id is reused while counting
    original = paragraph.Paragraph.breakLines

    def counted(self, width):
        kept.append(self)
        if not self.style.name.endswith("-plain"):
            widths_of.setdefault(id(self), set()).add(tuple(width) if isinstance(width, list) else width)
        return original(self, width)

    monkeypatch.setattr(paragraph.Paragraph, "breakLines", counted)
    explainer.render(load(CONTENT), options)
    assert len(widths_of) > 300
    assert {n: w for n, w in widths_of.items() if len(w) > 1} == {}


_PHRASES = ["autophagy", "NAD<super>+</super>", "<b>sirtuins</b>", "<i>in vitro</i>", "mitochondrial-biogenesis",
            "nicotinamide mononucleotide", "of", "a", "“recycling”", "≥ 2 weeks", "H<sub>2</sub>O",
            '<a href="https://doi.org/10.1016/j.cmet.2016.09.004">https://doi.org/10.1016/j.cmet.2016.09.004</a>',
            '<a href="#ref-x" color="#1f4e79">[3]</a>', "W" * 40, "immunohistochemistry", "x&amp;y"]


def _drawn(paragraphs, width: float, height: float) -> bytes:
    """The bytes of the paragraphs drawn one below the other: lines, words, links and all."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, pagesize=(width + 100, 100_000))
    canvas.bookmarkPage("ref-x")  # the one link target the phrases name
    y = 99_000
    for p in paragraphs:
        y -= p.height
        p.drawOn(canvas, 50, y)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _laid_out_again(text: str, style, width: float, height: float, first: float):
    """A paragraph laid out as a frame does on each of two passes: wrapped, then split at the
    same width (at the height ``first`` on the first pass), then wrapped again, as on the next
    page when nothing of it fitted."""
    p = para.Paragraph(text, style)
    for room in (first, height):
        p.wrap(width, 1e6)
        parts = p.split(width, room)
    for part in parts:
        part.wrap(width, 1e6)
    p.wrap(width, 1e6)
    return p, parts


def _laid_out_once(text: str, style, width: float, height: float):
    """The same paragraph broken into lines once, and split once."""
    whole = para.Paragraph(text, style)
    whole.wrap(width, 1e6)
    split = para.Paragraph(text, style)
    split.wrap(width, 1e6)
    parts = split.split(width, height)
    for part in parts:
        part.wrap(width, 1e6)
    return whole, parts


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(sorted(explainer.styles())), st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=40),
       st.sampled_from([60.0, 131.5, 217.25, 481.8897637795275]), st.floats(min_value=20, max_value=200),
       st.one_of(st.none(), st.floats(min_value=20, max_value=200)))
@example("glossary", ["autophagy", "<b>sirtuins</b>", "autophagy"], 60.0, 20.0, None)
@example("body", ["immunohistochemistry"] * 12 + ["W" * 40] * 3, 131.5, 35.0, 95.0)
@example("glossarymore", ["autophagy", "nicotinamide mononucleotide"], 60.0, 20.0, None)  # switches to plain
@example("glossarymore", ["autophagy", "autophagy", "NAD<super>+</super>", "autophagy", "autophagy", "autophagy"],
         60.0, 30.0, 90.0)  # split again, ReportLab's mark left an empty run on a line
@example("body", ["mitochondrial-biogenesis", "autophagy", "NAD<super>+</super>"], 60.0, 30.0, 45.0)
@example("item", ["“recycling”", _PHRASES[11], "a", "of", "immunohistochemistry"], 60.0, 118.3, 155.0)  # cut unhyphenated
def test_lines_and_parts_kept_from_an_earlier_layout_are_those_of_one_breaking(name, words, width, height, first):
    """A paragraph laid out again keeps its lines and its parts per split (reuse): whole and
    split, it draws what the same paragraph broken and split once draws.  (ReportLab itself,
    breaking a hyphenated paragraph again, can leave empty runs on a line, drawn as extra
    spaces in the page's content; a paragraph is never broken again at one width here.)"""
    from generator.render.pdf import fonts

    fonts.register()
    reuse.install()
    style = explainer.styles()[name]
    text = " ".join(words)
    kept, kept_parts = _laid_out_again(text, style, width, height, height if first is None else first)
    once, once_parts = _laid_out_once(text, style, width, height)
    assert (kept.width, kept.height) == (once.width, once.height)
    assert _drawn([kept], width, kept.height) == _drawn([once], width, once.height)
    assert len(kept_parts) == len(once_parts)
    assert _drawn(kept_parts, width, 0) == _drawn(once_parts, width, 0)



def test_a_paragraph_split_while_broken_for_another_width_is_split_afresh_at_its_own():
    """ReportLab splits the lines a paragraph was last broken into.  Parts made from the lines
    of another width are not given back once the paragraph is broken for the width again."""
    from generator.render.pdf import fonts

    fonts.register()
    reuse.install()
    style = explainer.styles()["body"]
    text = " ".join(["immunohistochemistry"] * 12 + ["W" * 40] * 3)
    p = para.Paragraph(text, style)
    p.wrap(131.5, 1e6)
    p.wrap(70.0, 1e6)
    p.split(131.5, 35.0)  # the lines of 70 points
    p.wrap(131.5, 1e6)
    parts = p.split(131.5, 35.0)
    for part in parts:
        part.wrap(131.5, 1e6)
    _, once_parts = _laid_out_once(text, style, 131.5, 35.0)
    assert [part.height for part in parts] == [part.height for part in once_parts]
    assert _drawn(parts, 131.5, 0) == _drawn(once_parts, 131.5, 0)


def _card_template_as_first_written(template, fields, *, front_side="", ordinal=1, answer=False):
    """The deck's template filled by reading the template anew for every card."""
    from generator.render.cardview import _TAG, _cloze, is_empty

    out, stack, pos = [], [], 0
    for match in _TAG.finditer(template):
        shown = all(s for _, s in stack)
        if shown:
            out.append(template[pos:match.start()])
        pos = match.end()
        kind, name = match.group(1), match.group(2).strip()
        if kind in "#^" and kind:
            present = not is_empty(fields.get(name, ""))
            stack.append((name, present if kind == "#" else not present))
        elif kind == "/":
            if not stack or stack[-1][0] != name:
                raise ValueError(f"template section {name!r} closed but not open")
            stack.pop()
        elif not shown:
            continue
        elif name == "FrontSide":
            out.append(front_side)
        elif name.startswith("cloze:"):
            out.append(_cloze(fields.get(name[len("cloze:"):], ""), ordinal, answer))
        else:
            out.append(fields.get(name, ""))
    if stack:
        raise ValueError(f"template section {stack[-1][0]!r} not closed")
    out.append(template[pos:])
    return "".join(out)


_TEMPLATE_PIECES = st.sampled_from(
    ["<hr>", "x", " ", "{{Front}}", "{{ Back }}", "{{FrontSide}}", "{{cloze:Text}}", "{{Source}}", "{{Extra}}",
     "{{Missing}}"])
_SECTION_NAMES = st.sampled_from(["Source", "Extra", " Source ", "Missing"])
# Templates with their sections nested as Anki requires, and now and then a stray tag.
_TEMPLATES = st.recursive(
    _TEMPLATE_PIECES,
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=4).map("".join),
        st.tuples(st.sampled_from("#^"), _SECTION_NAMES, inner).map(
            lambda t: f"{{{{{t[0]}{t[1]}}}}}{t[2]}{{{{/{t[1].strip()}}}}}")),
    max_leaves=12)
_STRAY = st.sampled_from(["", "", "", "{{#Source}}", "{{/Source}}", "{{^Extra}}", "{{", "}}", "{{#}}", "{{/}}"])
_FIELD_VALUES = st.sampled_from(["", " ", "<br>", "<div></div>", "&nbsp;", "x", "{{c1::a}} {{c2::b::h}}", "é"])


@settings(max_examples=300, deadline=None)
@given(st.tuples(_TEMPLATES, _STRAY, _TEMPLATES).map("".join),
       st.dictionaries(st.sampled_from(["Front", "Back", "Source", "Extra", "Text"]), _FIELD_VALUES),
       st.sampled_from(["", "<p>front</p>"]), st.integers(1, 3), st.booleans())
def test_card_templates_fill_as_reading_the_template_for_every_card(template, fields, front_side, ordinal, answer):
    from generator.render import cardview

    def outcome(render):
        try:
            return render(template, fields, front_side=front_side, ordinal=ordinal, answer=answer)
        except ValueError as error:
            return ("ValueError", str(error))

    assert outcome(cardview.render) == outcome(_card_template_as_first_written)


def test_card_check_finds_the_same_measuring_every_side_afresh(monkeypatch, tmp_path):
    """The card check makes each text of a field once (a reversed note's two cards show the
    same two); making every side of every card again finds the same problems, in the same
    order (unprintable characters on both faces of reversed notes and glossary entries, a text
    that is one card's front and another's back, a card too long)."""
    from tests.conftest import starter, write_content

    data = starter()
    long = " ".join(["word"] * 400)
    data["cards"] += [
        {"id": "rev-glyph", "type": "reverse", "front": "NAD⁺ 漢 **字**", "back": "*仮* word [@lee2008]"},
        {"id": "rev-plain", "type": "reverse", "front": "SIRT1", "back": "a sirtuin"},
        {"id": "rev-same", "type": "reverse", "front": "SIRT1", "back": "a sirtuin 漢"},
        {"id": "basic-swap", "type": "basic", "front": "a sirtuin 漢", "back": "NAD⁺ 漢 **字**"},
        {"id": "too-long", "type": "reverse", "front": long, "back": "short"},
        {"id": "cloze-glyph", "type": "cloze", "text": "{{c1::漢}} and {{c2::字}}", "extra": "仮"},
    ]
    data["glossary"] += [{"term": "漢 term", "definition": "字 definition", "reverse": True},
                         {"term": "plain term", "definition": long, "reverse": True}]
    doc = load(write_content(tmp_path / "content", data))
    from generator.render.pdf import cards

    for options in (Options(), Options(page_size="letter", cards_per_page=16, duplex="short")):
        fast = fresh_cards()._check(doc, options)
        plain_parts = cards._parts
        with monkeypatch.context() as m:
            m.setattr(cards, "_parts", lambda card, back, cite, known=None: plain_parts(card, back, cite))
            plain = fresh_cards()._check(doc, options)
        assert [str(p) for p in fast] == [str(p) for p in plain]
        assert any("漢" in str(p) for p in fast) and any("too long" in str(p) for p in fast)


def _anki_text_as_first_written(text: str, *, attribute: bool = False) -> str:
    import html

    from generator.render.markup import _ANKI_SYNTAX, _LONE_BACKSLASH

    escaped = html.escape(text, quote=True).translate(_ANKI_SYNTAX)
    return escaped.replace("\\", "&#92;" if attribute else _LONE_BACKSLASH)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("&<>\"'[]{}\\:; aZ9é—β\u00a0\n&#;"), st.characters()),
               max_size=30), st.booleans())
def test_anki_fields_escape_as_escaping_every_text_does(text, attribute):
    from generator.render.markup import anki_text

    assert anki_text(text, attribute=attribute) == _anki_text_as_first_written(text, attribute=attribute)


def test_build_keys_hash_the_json_of_all_their_inputs_as_one_dump_does(tmp_path):
    """Keys are put together from the JSON of each table, made once for every format; they are
    the hash of the JSON of all the inputs made in one piece, for every format and options."""
    import datetime as dt
    import hashlib
    import json

    from generator import __version__, buildkey
    from generator.render import FORMATS, release_time

    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    def key_as_first_written(doc, fmt, options):
        parts = {
            "studygen": __version__,
            "code": buildkey.code(),
            "environment": buildkey.environment(),
            "format": fmt.name,
            "options": {name: value for name, value in vars(options).items() if name not in fmt.ignores_options},
            "released": release_time(doc.content.article.version).isoformat(),
            "content": buildkey.model.dump(doc.content, exclude=set(fmt.ignores)),
        }
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    docs = [load(path) for path in (CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml",
                                    workloads.generated(tmp_path, "gen", cards=40, terms=4))]
    for doc in docs + docs[:1]:  # the first content again, after others
        for fmt in FORMATS.values():
            for options in (Options(), Options(page_size="letter", cards_per_page=4, duplex="short")):
                assert buildkey.key(doc, fmt, options) == key_as_first_written(doc, fmt, options), fmt.name
    assert len({buildkey.key(doc, FORMATS["html"], Options()) for doc in docs}) == len(docs)
    assert isinstance(docs[0].content.article.version, dt.date)


def _face_widths_as_first_written(markup: str):
    from generator.render.pdf import fitting

    found = fitting._plain_segments(markup)
    if found is None:
        return None
    widest, default = fitting._widths()
    out = []
    for segment in found:
        if fitting._OTHER_SPACE.search(segment):
            return None
        out.append(tuple(sum(widest.get(ord(c), default) for c in w)
                         for w in fitting._BREAK_AT.split(segment) if w))
    return tuple(out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "Wm", " ", "  ", "\t", "\n", "\r", "\u00a0", "\u2003", "\x0b", "\x1f", "\u0085",
                                 "<b>", "</b>", "<br/>", "&amp;", "é", "β", "\u00ad", "<i>", "</i>", "—"]),
                max_size=16).map("".join))
def test_card_faces_split_into_words_as_reportlab_breaks_them(markup):
    from generator.render.pdf import fitting

    fitting._segments.cache_clear()
    assert fitting._segments(markup) == _face_widths_as_first_written(markup)


def _content_words_as_first_written(text: str, parts: bool = False) -> tuple[str, ...]:
    from generator.cardrules import FUNCTION_WORDS, ROMAN, stem, words

    found = [w for w in words(text) if w.lower() not in FUNCTION_WORDS or ROMAN.match(w)]
    if parts:
        found += [part for w in found if "-" in w for part in w.split("-") if part.lower() not in FUNCTION_WORDS]
    return tuple(map(stem, found))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["spindle-shaped", "of-the", "the", "Complex", "I", "II", "-", "x-of", "NAD+",
                                 "lysosomes", "β-cells", "in-vitro", "a", " ", ", ", "-in", "re-", "’s", "it's",
                                 "Of-Course", "IV-V", "well-known", "self-"]), max_size=10).map("".join),
       st.booleans())
def test_content_words_are_the_stems_read_in_one_go(text, parts):
    from generator import cardrules

    cardrules.content_words.cache_clear()
    first = cardrules.content_words(text, parts)
    assert first == _content_words_as_first_written(text, parts)
    assert cardrules.content_words(text, not parts) == _content_words_as_first_written(text, not parts)


def _located_as_first_written(text: str, raw: dict) -> dict:
    """``Locator``'s lines as first written: each scanned line's header and key sorted out in turn."""
    from generator.locate import _scan

    lines, entries, tables, doubtful, current, root = {}, {}, {}, set(), None, {}
    for number, line, header, key in _scan(text):
        if not header and line.lstrip().startswith("["):
            current = ("", None)
            continue
        if header:
            opening, name, closing = header.groups()
            if len(opening) != len(closing):
                current = ("", None)
                continue
            if opening == "[[":
                entries.setdefault(name, []).append({(): number})
                current = (name, len(entries[name]) - 1)
            else:
                if name in tables:
                    doubtful.add(name)
                tables[name] = number
                current = (name, None)
            continue
        if not key:
            continue
        if current is None:
            root.setdefault(key.group(1), number)
        elif current[0]:
            name, index = current
            if index is None:
                lines.setdefault((name, None, key.group(1)), number)
            else:
                entries[name][index].setdefault((key.group(1),), number)
    for name, number in tables.items():
        if name not in doubtful and isinstance(raw.get(name), dict):
            lines[(name, None, None)] = number
        else:
            for k in [k for k in lines if k[0] == name]:
                del lines[k]
    for name, found in entries.items():
        data = raw.get(name)
        if not isinstance(data, list) or len(data) != len(found) or name in tables or name in root:
            continue
        for index, keys in enumerate(found):
            lines[(name, index, None)] = keys[()]
            for path, number in keys.items():
                if path and isinstance(data[index], dict) and path[0] in data[index]:
                    lines[(name, index, path[0])] = number
    for key, number in root.items():
        if key in raw and key not in tables and key not in entries:
            lines[(key, None, None)] = number
    for (name, index, key) in list(lines):
        if index is None and key is not None:
            if not (isinstance(raw.get(name), dict) and key in raw[name]):
                del lines[(name, index, key)]
    return lines


_TOML_PIECES = st.sampled_from(["[[cards]]", "[[glossary]]", "[article]", "[cards]", "[[cards]", "[a.b]", " [[cards]]",
                                'id = "x"', 'front = "a"', "back = 1", 'tags = ["a", "b"]', 'body = """',
                                '"""', "x = [", "]", "# c", "", "slug = 'y'", "cards = 2", 'extra = "a"  # c'])


_FIELDS = st.dictionaries(st.sampled_from(["id", "front", "back", "tags", "body", "x", "extra", "slug", "b"]),
                          st.just(1), max_size=5)
# Parsed data that may or may not be the text's: the locator reports a line only where they agree.
_RAW = st.dictionaries(st.sampled_from(["cards", "glossary", "article", "a", "slug", "x", "id", "body"]),
                       st.one_of(st.lists(_FIELDS, max_size=4), _FIELDS, st.just(1)), max_size=5)


@settings(max_examples=400, deadline=None)
@given(st.lists(_TOML_PIECES, max_size=16).map("\n".join), _RAW)
@example('[[cards]]\nid = "x"\nid = "y"', {"cards": [{"id": 1}]})  # the first of two
@example('[[cards]]\n[a.b]\nid = "x"', {"cards": [{"id": 1}]})  # not the entry's
@example('[[cards]]\nid = "x"', {"cards": [{}]})  # the data has no such key
@example('[article]\nslug = "x"\n[[cards]]\nfront = "a"\n[[cards]\nback = 1', {"article": {"slug": 1}, "cards": [{"front": 1}]})
def test_the_locator_finds_the_lines_sorting_out_each_line_in_turn_finds(text, other):
    import tomllib

    from generator.locate import Locator

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raw = {}
    for data in (raw, other):
        assert Locator(text, data)._lines == _located_as_first_written(text, data)


def test_the_locator_finds_the_lines_of_content_files_sorting_out_each_line_in_turn_finds():
    import tomllib

    from generator.locate import Locator

    for path in [CONTENT, *sorted((ROOT / "tests" / "fixtures").glob("*.toml"))]:
        text = path.read_text(encoding="utf-8")
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            raw = {}
        assert Locator(text, raw)._lines == _located_as_first_written(text, raw), path


def _stem_as_first_written(word: str) -> str:
    w = word.lower().replace("’", "'").rstrip("+")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("es", ""), ("s", ""), ("ed", ""), ("ing", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not (suffix == "s" and w.endswith("ss")):
            if suffix == "es" and not w[:-2].endswith(("s", "x", "ch", "sh", "z")):
                continue
            return w[: len(w) - len(suffix)] + keep
    return w


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="sdgeinxchzaSDGEIN'’+İ-", max_size=9))
def test_a_word_is_stemmed_as_first_written(word):
    from generator import cardrules

    assert cardrules.stem.__wrapped__(word) == _stem_as_first_written(word)
