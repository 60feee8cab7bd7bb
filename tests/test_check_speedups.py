"""Shortcuts of loading and checking content give what the plain way gives."""

from __future__ import annotations

import re
import sys

from hypothesis import example, given, settings, strategies as st

from generator import inline, textcheck, tomlfast
from generator.errors import Problem
from generator.load import load
from generator.model import Markup
from tests.conftest import CONTENT, ROOT
from tests.test_speedups import _TOML_LINES, _face_widths_as_first_written, _typed

# Pieces of every kind of markup and of what only looks like it, with the white space that
# lines, paragraphs and list items are cut at.
PIECES = ["a", "b c", "NAD", "**", "*", "^{", "_{", "}", "}}", "{", "{{", "{{c1::", "{{c2::", "::", "c1", "c",
          "1", ":", "[@", "[@lee2008]", "[@a_b.c-d]", "[@X]", "]", "[", "@", " ", "\n", "\n\n", "- ", "1. ",
          "2. ", "{{ c1:", "{c3:", "{{C1::", "\t"]
texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
MARKUPS = [Markup(), Markup(blocks=True), Markup(cloze=True), Markup(blocks=True, cloze=True)]


@settings(max_examples=400, deadline=None)
@given(texts, st.booleans())
@example("a [@x] [@y]b[[@z]]", False)
@example("", True)
def test_text_without_markup_characters_parses_as_the_full_parser_parses_it(text, cloze):
    assert inline._parsed.__wrapped__(text, cloze) == tuple(inline._parse(text, cloze))


@settings(max_examples=400, deadline=None)
@given(texts)
@example("*[@a]* ^{[@b]} {{c1::[@c]::[@d]}}")
def test_citations_are_found_as_in_the_parsed_tree(text):
    assert inline.cited(text) == inline.cites(inline.parse(text))


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from(MARKUPS))
@example("a {\n{c1: b", Markup(blocks=True))
@example("x\n- {{c1::y}}", Markup(blocks=True))
def test_a_field_passed_over_for_errors_has_none(text, markup):
    textcheck.check_text.cache_clear()
    if not textcheck.may_have_errors(text, markup):
        assert textcheck.check_text(text, markup)[0] == []


def _every_field(content, which: int) -> list[Problem]:
    """Errors (0) or warnings (1) of every field, each read once: the plain way."""
    return [Problem(where, what) for where, text, markup in textcheck.markup_fields(content)
            for what in textcheck.check_text(text, markup)[which]]


def _with_texts(content, written: list[str]):
    """``content`` with ``written`` put into its sections' bodies and its cards' text fields."""
    written = iter(written)

    def edit(entry):
        values = dict(entry)
        for key in ("body", "front", "back", "text", "extra"):
            if isinstance(values.get(key), str):
                values[key] = next(written, values[key])
        return type(entry)(**values)

    return type(content)(**{**dict(content), "sections": [edit(s) for s in content.sections],
                            "cards": [edit(c) for c in content.cards]})


_LOADED = load(CONTENT).content


@settings(max_examples=40, deadline=None)
@given(st.lists(texts, max_size=40))
def test_errors_and_warnings_of_content_are_those_of_every_field(written):
    content = _with_texts(_LOADED, written)
    assert textcheck.errors(content) == _every_field(content, 0)
    assert textcheck.warnings(content) == _every_field(content, 1)


_PAIR = re.compile(r'[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"([^"\\\n]*)"[ \t]*(?:#[^\n]*)?(?:\n|\Z)')


def _read_step_by_step(text: str):
    """The quick TOML reader as it read every line: blank lines, then a key and string, then
    anything else one step at a time."""
    t = tomlfast
    if t._BAD.search(text):
        return None
    root, arrays, pos, end = {}, set(), 0, len(text)
    table = root
    try:
        while True:
            pos = t._SKIP.match(text, pos).end()
            pair = _PAIR.match(text, pos)
            if pair:
                if pair.group(1) in table:
                    return None
                table[pair.group(1)] = pair.group(2)
                pos = pair.end()
                continue
            if pos >= end or t._LAST.match(text, pos):
                return root
            header = t._HEADER.match(text, pos)
            if header:
                opening, name, closing = header.groups()
                if len(opening) != len(closing) or text.startswith("]", header.end()):
                    return None
                if opening == "[[":
                    if name in root and name not in arrays:
                        return None
                    arrays.add(name)
                    table = {}
                    root.setdefault(name, []).append(table)
                else:
                    if name in root:
                        return None
                    table = root[name] = {}
                pos = header.end()
            else:
                key = t._KEY.match(text, pos)
                if not key or key.group(1) in table:
                    return None
                table[key.group(1)], pos = t._value(text, key.end())
            after = t._END.match(text, pos)
            if not after:
                return None
            pos = after.end()
    except t._Unread:
        return None


_ARRAY_ITEMS = st.lists(st.sampled_from(['"a b"', '"c,d"', '""', '"x\\"y"', '"]"', "1", " ", ",", "\t"]), max_size=4)
_ARRAY_LINES = st.tuples(st.sampled_from(["tags", "refs", "tags"]), _ARRAY_ITEMS, st.booleans()).map(
    lambda t: f"{t[0]} = [{', '.join(t[1])}{',' if t[2] else ''}]")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_TOML_LINES, _ARRAY_LINES), max_size=12).map("\n".join),
       st.sampled_from(["", "\n", " # end", "\n\n# c"]))
@example('[[cards]]\ntags = ["a", "b",]  # x\n\n[[cards]]\ntags = []\nrefs = [ "c" ]', "")
@example("[[cards]]]\n[t]]", "")
def test_the_quick_toml_reader_reads_what_it_read_step_by_step(text, ending):
    assert _typed(tomlfast.loads(text + ending)) == _typed(_read_step_by_step(text + ending))


def test_the_quick_toml_reader_reads_generated_content_as_it_read_step_by_step(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    for path in (CONTENT, workloads.generated(tmp_path, "toml", cards=300, terms=30)):
        text = path.read_text(encoding="utf-8")
        assert tomlfast.loads(text) == _read_step_by_step(text) is not None


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from(MARKUPS))
def test_a_field_passed_over_for_warnings_has_none(text, markup):
    if "*" not in text and "{" not in text:
        assert textcheck.check_text(text, markup)[1] == []


@settings(max_examples=400, deadline=None)
@given(texts)
def test_the_card_rules_read_text_as_its_parsed_tree_shows_it(text):
    from generator import cardrules

    assert cardrules._plain(text) == " ".join(inline.plain(inline.parse(text)).split())


def test_the_glyph_check_passes_over_exactly_the_characters_every_face_has_and_white_space():
    from generator.render.pdf import fonts

    uncovered, covered = fonts._uncovered(), fonts._covered_by_all()
    for code in range(0x110000):
        c = chr(code)
        assert (uncovered.search(c) is None) == (c.isspace() or c in covered), hex(code)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_the_glyph_check_skips_markup_as_the_set_of_its_characters_did(markup):
    from generator.render.pdf import fonts

    old = all(c.isspace() for c in set(markup).difference(fonts._covered_by_all()))
    assert (fonts._uncovered().search(markup) is None) == old


_FACE_PIECES = ["Card", "12:", "NAD", "é", "\u0301", "W", "ﬁ", "\u00a0", " ", "  ", "<b>", "</b>", "<br/>",
                "&amp;", "&lt;", "x", "\U0001F642", "\u2003", "–"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_FACE_PIECES), max_size=12).map("".join), min_size=1, max_size=6))
def test_card_words_are_measured_as_when_each_was_measured_afresh(faces):
    from generator.render.pdf import fitting

    fitting._segments.cache_clear()
    fitting._known.clear()
    for face in faces:  # later faces meet some words measured before
        assert fitting._segments(face) == _face_widths_as_first_written(face)


_RULE_WORDS = st.sampled_from("the of or Or is Is a NAD+ NAD I II IV Complex spindle-shaped lysosomes it's cells , ; : . ? "
                              "( ) and Which which SIRT1 x-ray or-else nor".split() + ["(a, b)", "A, B and C", "or?"])
_RULE_TEXTS = st.tuples(st.lists(_RULE_WORDS, max_size=12), st.sampled_from([" ", ""])).map(lambda t: t[1].join(t[0]))


def _is_set_as_first_written(answer: str) -> bool:
    from generator import cardrules as r

    text = re.sub(r"\([^)]*\)", "", answer).strip().rstrip(".")
    if not r.LIST_ANSWER.match(text):
        return False
    items = re.split(r",\s*|\s+(?:and|or)\s+", text)
    return len(items) >= r.SET_ITEMS and all(0 < len(r.words(i)) <= 4 for i in items)


def _offered_option_as_first_written(prompt: str, answer: str):
    from generator import cardrules as r

    question = next((q for q in re.split(r"(?<=[.!?])\s+", prompt) if q.rstrip().endswith("?")), "")
    parts = re.split(r"\bor\b", question.rstrip(" ?"))
    wanted = r.content_words(answer)
    if len(parts) < 2 or not wanted:
        return None
    options = []
    for n, part in enumerate(parts):
        if n == 0:
            part = re.split(r"[,:;]", part.rstrip(" ,;:"))[-1]
        elif n == len(parts) - 1:
            part = re.split(r"[,:;]", part)[0]
        options.append(part)
    picked = [option for option in options if r._contains(r.content_words(option), wanted[0])]
    return " ".join(picked[0].strip(" ,;:").split()) if len(picked) == 1 else None


@settings(max_examples=300, deadline=None)
@given(_RULE_TEXTS, _RULE_TEXTS)
@example("Is it NAD or NR?", "NAD")
@example("", "A, B and C")
@example("Is it A,or B?", "A,B and C")
def test_the_card_rules_answer_as_first_written(prompt, answer):
    from generator import cardrules as r

    assert r.content_words(prompt) == tuple(r.stem(w) for w in r.words(prompt)
                                            if w.lower() not in r.FUNCTION_WORDS or r.ROMAN.match(w))
    assert r._is_set(answer) == _is_set_as_first_written(answer)
    assert r._offered_option(prompt, answer) == _offered_option_as_first_written(prompt, answer)


def _parse_trying_every_step(s: str, cloze: bool) -> list:
    """The markup parser as it tried, at every position, to close, cite and open."""
    i, n, root, stack = 0, len(s), [], []
    while i < n:
        nodes = stack[-1].nodes if stack else root
        closing = None
        for k in range(len(stack) - 1, -1, -1):
            frame = stack[k]
            if inline._closes(s, i, frame, bool(frame.nodes) or (frame.kind == "cloze" and k < len(stack) - 1)):
                closing = k
                break
            if frame.kind == "cloze":
                break
        if closing is not None:
            while len(stack) > closing + 1:
                frame = stack.pop()
                inline._unwind(frame, stack[-1].nodes)
            frame = stack.pop()
            parent = stack[-1].nodes if stack else root
            parent.append(inline._split_hint(frame.number, frame.nodes) if frame.kind == "cloze"
                          else inline.Span(frame.kind, tuple(frame.nodes)))
            i += len(frame.closer)
            continue
        m = inline._CITE.match(s, i)
        if m:
            nodes.append(inline.Cite(m.group(1)))
            i = m.end()
            continue
        frame = inline._opener(s, i, cloze) if len(stack) < inline.MAX_DEPTH else None
        if frame is not None:
            stack.append(frame)
            i += len(frame.marker)
            continue
        special = inline._SPECIAL.search(s, i + 1)
        j = special.start() if special else n
        inline._add_text(nodes, s[i:j])
        i = j
    while stack:
        frame = stack.pop()
        inline._unwind(frame, stack[-1].nodes if stack else root)
    return root


@settings(max_examples=500, deadline=None)
@given(texts, st.booleans())
@example("**a *b* c** ^{x_{y}} {{c1::*d*::e}} [@r] }} *", True)
@example("x" + "^{" * 20 + "y", False)
def test_markup_parses_as_when_every_step_was_tried_at_every_position(text, cloze):
    assert inline._parse(text, cloze) == _parse_trying_every_step(text, cloze)
