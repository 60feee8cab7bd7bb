"""Shortcuts of loading and checking content give what the plain way gives."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from generator import inline, prose, textcheck
from generator.errors import Problem
from generator.load import load
from generator.model import Markup
from tests.conftest import CONTENT, ROOT

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
