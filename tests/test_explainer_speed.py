"""Shortcuts of the explainer's layout and checks answer as the plain way does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph

from generator.render.pdf import fonts, hyfit, para
from generator.render.pdf.fonts import BOLD, ITALIC, REGULAR
from tests.test_speedups import plain_explainer

_LETTERS = "abcdefghijklmnopqrstuvwxyzAEIOUéü"
_word = st.builds(lambda pfx, core, sfx: pfx + core + sfx,
                  st.sampled_from(["", "(", "“", "'\"", "["]),
                  st.one_of(st.text(_LETTERS, min_size=1, max_size=16),
                            st.lists(st.text(_LETTERS, min_size=1, max_size=7), min_size=2, max_size=4).map("-".join),
                            st.sampled_from(["autophagy", "mononucleotide", "nicotinamide", "https://doi.org/10.1/x",
                                             "long-lived", "a--b", "NAD-dependent", "auto\xadphagy",
                                             "nico\xadtin\xadamide", "re\xadcycling"])),
                  st.sampled_from(["", ".", ",", ")", "”.", "?!", "-"]))


@settings(max_examples=300, deadline=None)
@given(word=_word, font=st.sampled_from([REGULAR, BOLD, ITALIC]), size=st.sampled_from([7.5, 9, 10.5]),
       used=st.floats(0, 300), cut=st.integers(0, 8), hyphen=st.booleans(), nudge=st.floats(-0.5, 0.5),
       waste=st.sampled_from([0, 0.3]), embedded=st.sampled_from([0, 1]), shortest=st.integers(1, 6))
def test_a_word_skips_the_dictionary_only_where_reportlab_finds_no_break_that_fits(word, font, size, used, cut, hyphen,
                                                                                    nudge, waste, embedded, shortest):
    # The room left is about as wide as the word's first few characters (with a hyphen or
    # not), where a head of two characters and one of three fit differently.
    fonts.register()
    ww = stringWidth(word, font, size)
    room = used + stringWidth(word[:cut] + "-" * hyphen, font, size) + nudge
    args = (word, ww, used + ww, room, font, size, waste, embedded, shortest)
    assert hyfit._hy_gen_pair(para.hyphenate, *args) == hyfit._gen_pair(para.hyphenate, *args)


@pytest.mark.parametrize("word", ["absorption", "recycling", "autophagy", "(absorption),", "re\xadcycling"])
@pytest.mark.parametrize("font", [REGULAR, BOLD, ITALIC])
def test_a_word_is_broken_where_its_head_and_hyphen_just_fit(word, font):
    # Rooms just wider and just narrower than each dictionary head with its hyphen, the
    # shortest head (two characters) included.
    fonts.register()
    ww = stringWidth(word, font, 9)
    bare = word.strip("(),")
    for head, _ in para.hyphenate(bare):
        prefix = "(" if word.startswith("(") else ""
        for used in (0, 40.5):
            for nudge in (-1e-3, 1e-3):
                room = used + stringWidth(prefix + head + ("" if head.endswith("\xad") else "-"), font, 9) + nudge
                for waste in (0, 0.3):
                    args = (word, ww, used + ww, room, font, 9, waste, 0, 5)
                    assert hyfit._hy_gen_pair(para.hyphenate, *args) == hyfit._gen_pair(para.hyphenate, *args)


@pytest.mark.parametrize("word", ["://a.io", "://ab.io/x"])
def test_a_short_url_is_broken_where_reportlab_breaks_it(word):
    # In the bold face "://" is narrower than ":/" and a hyphen: a room between the two is
    # too short for every dictionary head but not for the URL's head, which ReportLab breaks
    # off only when the line's start is short enough (uriWasteReduce) or the URL is wider than the line.
    fonts.register()
    ww = stringWidth(word, BOLD, 10)
    broken = 0
    for step in range(240):
        used = step / 4
        for room in (used + stringWidth("://", BOLD, 10) + 0.2, used + ww):
            for waste in (0, 0.3, 0.5):
                args = (word, ww, used + ww, room, BOLD, 10, waste, 0, 5)
                expected = hyfit._gen_pair(para.hyphenate, *args)
                assert hyfit._hy_gen_pair(para.hyphenate, *args) == expected
                broken += expected is not None
    assert broken  # the URL's head is among the answers compared


def test_the_explainers_hyphenator_is_the_one_skipped():
    assert paragraph._hyGenPair is hyfit._hy_gen_pair
    assert para.hyphenate in hyfit._SHORT_HEADS


_FIELDS = [("article", None, "title"), ("article", None, "subtitle"), ("article", None, "summary"),
           ("article", None, "notice"), ("takeaways", 0, "text"), ("sections", 0, "heading"), ("sections", 0, "body"),
           ("claims", 0, "statement"), ("claims", 0, "note"), ("pathway", 0, "label"), ("pathway", 0, "detail"),
           ("glossary", 0, "term"), ("glossary", 0, "definition"), ("references", 0, "title"),
           ("references", 0, "journal"), ("references", 0, "authors"), ("references", 0, "doi")]
# Characters every face has, some no face has (CJK, an emoji, Sinhala), white space some
# faces lack (ideographic and ogham spaces) and characters markup or escaping touches.
_PIECES = st.sampled_from(["autophagy", " ", "NAD^{+}", "H_{2}O", "a & b", "<i>", "\u2009", "\u00a0", "\u3000",
                           "\u1680", "\u4e00", "\U0001F600", "\u0d9e", "\u2265", "\u2192", "“quoted”", "\n\n- item",
                           "Ω", "²"])


@settings(max_examples=40, deadline=None)
@given(changes=st.lists(st.tuples(st.sampled_from(_FIELDS), st.lists(_PIECES, min_size=1, max_size=6).map("".join)),
                        min_size=1, max_size=3))
def test_the_explainers_glyph_check_finds_what_checking_every_field_finds(tmp_path_factory, changes):
    from hypothesis import assume

    from generator.errors import ContentError
    from generator.load import load
    from generator.render import Options
    from generator.render.pdf import explainer
    from tests.conftest import starter, write_content

    data = starter()
    for (table, index, key), text in changes:
        entry = data[table] if index is None else data[table][index]
        entry[key] = text.strip() or "x"
    path = write_content(tmp_path_factory.mktemp("c"), data)
    try:
        doc = load(path)
    except ContentError:
        assume(False)
    fonts.register()
    every_field = fonts.glyph_problems(explainer.drawn_texts(doc.content))
    assert explainer.check(doc, Options()) == every_field + explainer._tall_steps(doc.content, Options())


def test_every_character_the_cleaning_looks_for_is_one_isprintable_refuses():
    # frags._runs scans with str.isprintable first and asks the pattern only of unprintable markup.
    from generator.render.pdf.frags import _OTHER_SPACE

    found = [c for c in map(chr, range(0x110000)) if _OTHER_SPACE.match(c)]
    assert len(found) > 20  # all of Python's white space but the space and the no-break space, and U+200B
    assert not any(c.isprintable() for c in found)


@settings(max_examples=6, deadline=None)
@given(lengths=st.lists(st.integers(1, 160), min_size=3, max_size=14), notes=st.lists(st.integers(0, 60), min_size=1),
       letter=st.booleans())
def test_an_evidence_table_over_pages_is_the_same_with_and_without_kept_splits(tmp_path_factory, lengths, notes,
                                                                              letter):
    # Claims of many lengths: the table splits between rows and inside rows (a tall row
    # continues on the next page), at other heights on every page.
    from generator.load import load
    from generator.render import Options
    from generator.render.pdf import explainer
    from tests.conftest import starter, write_content

    data = starter()
    claim = data["claims"][0]
    words = "autophagy declines with age while NAD levels fall in mice and in some human tissues".split()
    data["claims"] = [dict(claim, id=f"c{i}", statement=" ".join(words[k % len(words)] for k in range(n)),
                           note=" ".join(words[k % len(words)] for k in range(notes[i % len(notes)])) or "Note.")
                      for i, n in enumerate(lengths)]
    data["cards"] = [c for c in data["cards"] if "claim" not in c]
    path = write_content(tmp_path_factory.mktemp("c"), data)
    options = Options(page_size="letter" if letter else "a4")
    fast = explainer.render(load(path), options)
    with pytest.MonkeyPatch.context() as m:
        assert plain_explainer(m, path, options) == fast


_STEP_WORDS = "NMN raises NAD^{+} in blood and SIRT1 deacetylates autophagy proteins in mice".split()


@settings(max_examples=5, deadline=None)
@given(steps=st.lists(st.tuples(st.integers(1, 12), st.integers(0, 70),
                                st.sampled_from([None, "cell", "mouse", "human"]),
                                st.lists(st.sampled_from(["lee2008", "yi2023", "chen2024"]), max_size=2, unique=True)),
                      min_size=1, max_size=9))
def test_the_diagram_is_the_same_made_and_drawn_with_reportlabs_shape_checks(tmp_path_factory, steps):
    import contextlib

    from generator.load import load
    from generator.render import Options
    from generator.render.pdf import diagram, explainer
    from tests.conftest import starter, write_content

    data = starter()
    data["pathway"] = []
    for i, (label, detail, model, refs) in enumerate(steps):
        step = {"id": f"p{i}", "label": " ".join(_STEP_WORDS[(i + k) % len(_STEP_WORDS)] for k in range(label)),
                "detail": " ".join(_STEP_WORDS[k % len(_STEP_WORDS)] for k in range(detail)) or "Step."}
        if model:
            step["shown_in"] = model
        if refs:
            step["refs"] = refs
        data["pathway"].append(step)
    data["cards"] = [c for c in data["cards"] if not c.get("pathway")]
    doc = load(write_content(tmp_path_factory.mktemp("c"), data))
    fast = (diagram.svg(doc.content), explainer.render(doc, Options()))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(diagram, "unchecked", contextlib.nullcontext)
        m.setattr(explainer, "unchecked", contextlib.nullcontext)
        assert (diagram.svg(doc.content), explainer.render(doc, Options())) == fast
