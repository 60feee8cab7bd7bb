"""Every markup construct in every text field, generated: studygen never fails internally,
`check` exit 0 implies `build` exit 0, and the deck imports into the real Anki engine with
the cards the content asks for.

The text fields come from the content model (each carries a ``Markup`` marker), so a field
added later is generated here without changing this file.
"""

from __future__ import annotations

import re
import tempfile
import typing
from functools import lru_cache
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, note, settings, strategies as st

from generator import prose
from generator.cli import main
from generator import model
from generator.model import Markup, markup_of
from generator.schema import model_of
from generator.textcheck import check_text
from tests.conftest import import_apkg, starter, write_content

REFS = ["lee2008", "yi2023", "chen2024"]  # references the base content keeps

# Text that must show as typed: HTML, Anki's own syntax, quotes, non-ASCII the fonts print.
WORDS = ["NAD", "SIRT1", "cells", "60 %", "α-β", "≥ 2", "café", "O'Brien", '"quoted"', "‘single’",
         "a < b", "&amp;", "<b>x</b>", "<script>", "[sound:x.mp3]", "[latex]x[/latex]", r"\(x\)",
         "https://example.org/a_b", "—", "5 * 3", "x:y", "}", "{"]
# Pieces that may break the grammar or the content rules: each is allowed to make `check`
# fail, never to make `build` fail after `check` passed, nor to crash.
HOSTILE = ["**", "*", "^{", "_{", "}}", "{{", "::", "{{c1:x}}", "{c1::x}", "{{C1::x}}", "{{c0::x}}",
           "{{c1::}}", "{{c1::x", "[@nosuchref]", "[@", "\U0001F642", "\u00ad", "\u200b", "\ufeff", "\t",
           "- ", "1. ", "\n", "\n \n", "{{c2::a::}}", "{{c1::*a::b*}}", "x" * 300]
SPANS = [("**", "**"), ("*", "*"), ("^{", "}"), ("_{", "}")]


@lru_cache(maxsize=None)  # strategies are built once, drawn from many times
def _word(hostile: bool, brace: bool = True):
    if hostile:
        return st.sampled_from(WORDS + HOSTILE)
    # "}" closes the nearest "^{" or "_{": inside one, a "}" of the text cannot be written
    return st.sampled_from(WORDS if brace else [w for w in WORDS if "}" not in w])


@lru_cache(maxsize=None)
def _inline(hostile: bool, depth: int, cloze: bool, brace: bool = True):
    """(text, deletion numbers) of one unit of inline markup; ``brace``: whether the text
    may hold a "}" of its own."""
    leaf = st.one_of(_word(hostile, brace).map(lambda w: (w, set())),
                     st.sampled_from(REFS).map(lambda r: (f"[@{r}]", set())))
    if depth == 0:
        return leaf

    def span(args):
        (left, right), (inner, numbers) = args
        inner = inner.strip() or "x"
        if left == "*" and (inner.startswith("*") or inner.endswith("*")):
            # stars that meet make one run, read as "**" (bold) first: an italic directly
            # around an italic ("**a* b*") or opening on a bold ("***a** b*") is not valid
            left = right = "**"
        return f"{left}{inner}{right}", numbers

    # markup may hold deletions and deletions markup, but no deletion holds another
    stars = st.tuples(st.sampled_from(SPANS[:2]), _inline(hostile, depth - 1, cloze, brace))
    braces = st.tuples(st.sampled_from(SPANS[2:]), _inline(hostile, depth - 1, cloze, False))
    options = [leaf, st.one_of(stars, braces).map(span)]
    if cloze:
        def deletion(args):
            number, (answer, _), hint = args
            answer = answer.strip() or "x"
            if answer.endswith("}") and not hostile:
                answer += " x"  # "}}}" ends the deletion at its first "}}", as in Anki
            return f"{{{{c{number}::{answer}{'::' + hint if hint else ''}}}}}", {number}

        options.append(st.tuples(st.integers(1, 3), _inline(hostile, depth - 1, False, brace),
                                 st.sampled_from(["", "a hint", "x [@lee2008]"])).map(deletion))
    return st.lists(st.one_of(options), min_size=1, max_size=3).map(
        lambda parts: (" ".join(t for t, _ in parts), set().union(*(n for _, n in parts))))


@lru_cache(maxsize=None)
def _units(hostile: bool, cloze: bool, count: int):
    return st.lists(_inline(hostile, 2, cloze), min_size=1, max_size=count)


Content = model_of(model.Content)  # the pydantic model: its fields carry their markers


@st.composite
def field_text(draw, markup: Markup, hostile: bool):
    """(text, deletion numbers) for a field read as ``markup`` says."""
    units = draw(_units(hostile, markup.cloze, 3 if markup.blocks else 1))
    numbers = set().union(*(n for _, n in units))
    texts = [t for t, _ in units]
    if markup.cloze and not numbers:  # a cloze card without a deletion is tested on its own
        texts[-1] += " {{c1::x}}"
        numbers = {1}
    if not markup.blocks:
        return texts[0], numbers
    shape = draw(st.sampled_from(["paragraphs", "bullets", "numbers", "mixed"]))
    if shape == "paragraphs":
        return draw(st.sampled_from(["\n\n", "\n   \n", "\n"])).join(texts), numbers
    if shape == "bullets":
        return "\n".join(f"- {t}" for t in texts), numbers
    if shape == "numbers":
        return "\n".join(f"{n}. {t}" for n, t in enumerate(texts, 1)), numbers
    return f"{texts[0]}\n\n" + "\n".join(f"- {t}" for t in texts[1:] or ["item"]), numbers


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_valid_text_reads_as_generated(data):
    """Text the generator calls valid is read with every marker matched and every deletion
    it wrote, in each way a field can be read; many more cases than a build can afford."""
    markup = data.draw(st.sampled_from(sorted({markup_of(f) for cls in _models() for f in
                                               cls.model_fields.values()} - {None}, key=repr)))
    text, numbers = data.draw(field_text(markup, False))
    errors, warnings = check_text(text, markup)
    assert not errors and not warnings, (errors, warnings)
    if markup.cloze:
        assert prose.cloze_numbers(text) == numbers


def _models():
    """Every model class of the content's entries."""
    for info in Content.model_fields.values():
        annotation = info.annotation
        for arg in typing.get_args(annotation) or (annotation,):
            while typing.get_origin(arg) is typing.Annotated:
                arg = typing.get_args(arg)[0]
            for cls in typing.get_args(arg) or (arg,):
                if hasattr(cls, "model_fields"):
                    yield cls


def _entry_model(table: str, entry: dict):
    """The content model class of one entry, a card's chosen by its type."""
    annotation = Content.model_fields[table].annotation
    args = typing.get_args(annotation)
    inner = args[0] if args else annotation
    while typing.get_origin(inner) is typing.Annotated:
        inner = typing.get_args(inner)[0]
    choices = typing.get_args(inner) or (inner,)
    for model in choices:
        literal = model.model_fields.get("type")
        if literal is None or entry.get("type") in typing.get_args(literal.annotation):
            return model
    raise AssertionError(f"no model for {table} entry {entry}")


def base() -> dict:
    """The fixture content, cut down so that each example builds fast."""
    data = starter()
    data["sections"] = data["sections"][:2]
    data["claims"] = data["claims"][:2]
    data["pathway"] = data["pathway"][:2]
    data["glossary"] = data["glossary"][:2] + [g for g in data["glossary"] if g.get("reverse")][:1]
    data["takeaways"] = data["takeaways"][:1]
    cards = data["cards"]
    data["cards"] = ([c for c in cards if c["type"] == "basic"][:1] + [c for c in cards if c["type"] == "reverse"][:1]
                     + [c for c in cards if c["type"] == "cloze"][:2])
    claims, sections = {c["id"] for c in data["claims"]}, {s["id"] for s in data["sections"]}
    for card in data["cards"]:
        card.pop("claim", None), card.pop("section", None)
    data["cards"][0].update(claim=data["claims"][0]["id"], section=data["sections"][0]["id"])
    data["cards"][-1].update(section=data["sections"][1]["id"])
    assert claims and sections
    return data


@st.composite
def contents(draw):
    """(content dict, whether it uses only valid constructs, deletion numbers of each cloze card)."""
    hostile = draw(st.booleans())
    data = base()
    numbers: dict[str, set[int]] = {}
    for table, info in Content.model_fields.items():
        value = data.get(table)
        entries = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for i, entry in enumerate(entries):
            model = _entry_model(table, entry) if isinstance(value, list) else typing.get_args(info.annotation) \
                or info.annotation
            for name, field in model.model_fields.items():
                markup = markup_of(field)
                key = field.alias or name
                if markup is None or (key not in entry and not draw(st.booleans())):
                    continue
                # a few hostile fields per file, so that some hostile files pass `check` and get built
                text, found = draw(field_text(markup, hostile and draw(st.integers(0, 7)) == 0))
                if table == "glossary" and key == "term":
                    text = f"{text} t{i}"  # terms name notes: keep them distinct
                entry[key] = text
                if markup.cloze:
                    numbers[entry["id"]] = found
    return data, hostile, numbers


def expected_cards(data: dict, numbers: dict[str, set[int]]) -> int:
    total = sum(2 if g.get("reverse") else 1 for g in data.get("glossary", []))
    for card in data["cards"]:
        if card["type"] == "cloze":
            total += len(numbers[card["id"]])
        else:
            total += 2 if card["type"] == "reverse" else 1
    return total


def printed_fronts(path: Path) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        return sum(page.get_textpage().get_text_range().count("· question") for page in pdf)
    finally:
        pdf.close()


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code != 70, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(contents())
def test_every_markup_in_every_field(case):
    data, hostile, numbers = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write_content(folder / "content", data)
        checked = invoke("check", str(path))
        note(checked.output)
        event(f"{'hostile' if hostile else 'valid'} content, check exit {checked.exit_code}")
        if not hostile:
            # valid markup everywhere: nothing to refuse, no marker printed as typed
            assert checked.exit_code == 0, checked.output
            assert "unmatched" not in checked.output, checked.output
        if checked.exit_code != 0:
            assert checked.exit_code == 1 and "error:" in checked.output, checked.output
            return
        listed = invoke("cards", str(path))
        assert listed.exit_code == 0, listed.output
        out = folder / "out"
        built = invoke("build", str(path), "-o", str(out), "-j", "1")
        assert built.exit_code == 0, built.output
        col, _ = import_apkg(folder / "collection.anki2", out / "nmn-autophagy.apkg")
        try:
            cards = [col.get_card(cid) for cid in col.find_cards("")]
            # what studygen says it built, and (for valid content) what the content asks for
            said = re.search(r"\((\d+) cards\)", built.output)
            assert said and int(said.group(1)) == len(cards), built.output
            if not hostile:
                assert len(cards) == expected_cards(data, numbers)
            # the printed sheets hold the same cards: each front carries "<deck> · question"
            assert printed_fronts(out / "nmn-autophagy-cards.pdf") == len(cards)
            for card in cards:
                question = card.question()
                assert "No cloze" not in question and "Please either add" not in question, question
                if card.note().note_type()["type"] == 1:  # a cloze card asks for exactly one deletion
                    assert question.count('class="cloze"') >= 1, question
        finally:
            col.close()
