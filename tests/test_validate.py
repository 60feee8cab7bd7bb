"""Content read without pydantic (generator.validate) against pydantic's reading of the same
declarations (generator.schema): what the fast reader takes, pydantic takes too, with equal
values and the same JSON; when it is unsure, pydantic decides."""

from __future__ import annotations

import datetime as dt
import functools
import json
import subprocess
import sys
import time
import tomllib
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import TypeAdapter, ValidationError

from generator import model, validate
from generator.load import _clean
from generator.schema import CONFIG, model_of, to_entries, translate
from tests.conftest import starter

ROOT = Path(__file__).resolve().parent.parent
PydanticContent = model_of(model.Content)


def fast(annotation, value):
    """The fast reader's value, or ``UNSURE``."""
    try:
        return validate._reader(annotation)(value)
    except validate._Unsure:
        return UNSURE


UNSURE = object()


def slow(annotation, value):
    """pydantic's value (as content model objects), or ``REFUSED``; strict, as every key is
    read inside the content's models."""
    try:
        return to_entries(_strict(annotation).validate_python(value))
    except ValidationError:
        return REFUSED


REFUSED = object()


@functools.lru_cache(maxsize=None)
def _strict(annotation) -> TypeAdapter:
    return TypeAdapter(translate(annotation), config=CONFIG)


def agree(annotation, value) -> None:
    got = fast(annotation, value)
    if got is UNSURE:
        return  # pydantic reads it, in load
    want = slow(annotation, value)
    assert want is not REFUSED, f"the fast reader took {value!r} for {annotation}, pydantic refuses it"
    assert got == want and type(got) is type(want), (value, got, want)


def leaf_annotations() -> list:
    """Every declared type of every key of the content model, entries left out."""
    found = {}
    for cls in (model.Article, model.Takeaway, model.Section, model.Claim, model.PathwayStep,
                model.GlossaryEntry, model.Reference, model.BasicCard, model.ClozeCard):
        for name, hint in model.hints(cls).items():
            found[repr(hint)] = hint
    return list(found.values())


LEAVES = leaf_annotations()

# Characters where regular expression dialects and the content rules differ: white space of
# every kind, controls, noncharacters, private use, astral letters and a final newline.
TRICKY = "a Z0-_.:/ \t\n\r\x0b\x0c\x1c\x1f\x7f\x85\xa0\u1680\u180e\u2000\u200b\u2028\u2029\u202f\u3000" \
         "\ufeff\ufdd0\ufffe\uffff\ue000\U0001f600\U0001fffe\U0010ffff\"'[]{}*^_@"
texts = st.text(alphabet=st.sampled_from(TRICKY), max_size=12) | st.text(max_size=12)
scalars = (texts | st.integers(-3, 3000) | st.booleans() | st.none() | st.dates()
           | st.datetimes().map(lambda d: d) | st.dates().map(dt.date.isoformat)
           | st.sampled_from(["2026-11-30", "2026-02-30", "2026-1-05", "20261130", "1700000000",
                              "2026-11-30T00:00:00", " 2026-11-30", "basic", "cloze", "human", "supported"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(["id", "type", "text", "x"]), inner, max_size=3), max_leaves=6)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LEAVES), values)
def test_every_key_reads_as_pydantic_reads_it(annotation, value):
    agree(annotation, value)


@pytest.mark.parametrize("annotation", [model.Inline, model.Id, model.Slug, model.Tag, model.hints(model.Article)["deck"],
                                        model.hints(model.Reference)["doi"], model.hints(model.Reference)["url"],
                                        model.hints(model.Reference)["pages"]], ids=repr)
def test_each_character_is_judged_as_pydantic_judges_it(annotation):
    """Every character of the Basic Multilingual Plane and the last two of each plane, alone,
    inside text, and at the end after a letter."""
    characters = [chr(c) for c in range(0xD800)] + [chr(c) for c in range(0xE000, 0x10000)] \
        + [chr(p * 0x10000 + k) for p in range(1, 17) for k in (0x41, 0xFFFE, 0xFFFF)]
    for c in characters:
        for text in (c, f"a{c}b", f"ab{c}", f"{c}\n"):
            agree(annotation, text)


def test_the_fast_reader_takes_valid_content():
    """Otherwise every command would pay for pydantic after all."""
    for path in (ROOT / "content").glob("*.toml"):
        raw = _clean(tomllib.loads(path.read_text(encoding="utf-8")))
        assert validate.content(raw) is not None, path
    assert validate.content(_clean(starter())) is not None


def mutations():
    """One change to the fixture content: a key dropped or added, a value replaced."""
    return st.tuples(st.sampled_from(["drop", "add", "replace"]), st.integers(0, 10**6), values)


def _mutate(data: dict, how: str, pick: int, value) -> dict:
    places = []

    def walk(node, path):
        if isinstance(node, dict):
            for key in node:
                places.append((node, key))
                walk(node[key], path + [key])
        elif isinstance(node, list):
            for i, item in enumerate(node):
                places.append((node, i))
                walk(item, path + [i])
    walk(data, [])
    parent, key = places[pick % len(places)]
    if how == "drop":
        del parent[key]
    elif how == "add" and isinstance(parent, dict):
        parent[str(value)[:10] or "x"] = value
    else:
        parent[key] = value
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutations(), min_size=0, max_size=3))
def test_whole_content_reads_as_pydantic_reads_it(changes):
    data = _clean(starter())
    for how, pick, value in changes:
        data = _mutate(data, how, pick, value)
    got = validate.content(data)
    if got is None:
        return
    want = PydanticContent.model_validate(data)
    assert got == to_entries(want)
    # Build keys and the deck's content stamp are made of this JSON: the same bytes as pydantic's.
    assert model.dump(got) == want.model_dump(mode="json")
    assert model.dump_json(got, exclude={"sections"}) == want.model_dump_json(exclude={"sections"})


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30), st.lists(st.text(max_size=8), max_size=3))
def test_json_of_any_text_is_pydantic_json(source, allow):
    """Keys without the text rule (the source's path, ``allow``) may hold any character."""
    data = _clean(starter())
    data["article"]["source"] = source
    data["cards"][0]["allow"] = allow
    got = validate.content(data)
    if got is None:
        return
    want = PydanticContent.model_validate(data)
    assert model.dump_json(got) == want.model_dump_json()
    assert json.loads(model.dump_json(got)) == model.dump(got)


def test_loading_valid_content_does_not_import_pydantic():
    code = ("import sys; from pathlib import Path; from generator.load import load; "
            "load(Path('content/nmn-autophagy.toml')); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_content_pydantic_reads_is_content_model_objects(tmp_path):
    """A date written otherwise than YYYY-MM-DD (here a TOML date-time at midnight) is left to
    pydantic, and the content is the same kind of object."""
    data = _clean(starter())
    data["article"]["version"] = dt.datetime(2026, 11, 30)
    assert validate.content(data) is None
    content = to_entries(PydanticContent.model_validate(data))
    assert isinstance(content, model.Content) and content.article.version == dt.date(2026, 11, 30)
    assert all(type(card) in (model.BasicCard, model.ClozeCard) for card in content.cards)


def test_every_declared_key_has_a_pydantic_field_of_the_same_name_and_order():
    for cls in (model.Content, model.Article, model.Reference, model.BasicCard, model.ClozeCard):
        names = [name for name, _ in cls._fields]
        assert list(model_of(cls).model_fields) == names
    assert model_of(model.Reference).model_fields["short_names"].alias == "short"
    assert typing.get_args(model_of(model.Content).model_fields["cards"].annotation)


def _cpu(read, value) -> float:
    """The least CPU time of three readings of ``value``."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        read(value)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("bad", ["\x0c", "\x92", "\uf0b7", "\ufffe"], ids=ascii)
def test_a_long_text_with_a_bad_character_is_refused_in_time_linear_in_its_length(bad):
    """The text pattern backtracks in Python's re: matched against text with a character it
    refuses, it takes time quadratic in the characters before that one (20,000 characters:
    seconds), where pydantic's engine is linear.  A form feed, a Windows-1252 quote read as
    Latin-1, a Symbol-font bullet, a noncharacter at the end of a long body: the fast reader
    leaves the file to pydantic about as fast as it reads the same body without it (the floor,
    measured in the same run; the margin is a hundredfold, quadratic time is thousands)."""
    body = "Autophagy is how a cell breaks down parts of itself. " * 400
    data = _clean(starter())
    data["sections"][0]["body"] = body
    floor = _cpu(validate.content, data)
    assert validate.content(data) is not None
    data["sections"][0]["body"] = body + bad
    assert validate.content(data) is None
    assert _cpu(validate.content, data) < 100 * floor + 0.01
    for annotation in LEAVES:  # every key with the text rule, alone
        if any(isinstance(m, model.Rule) and m.pattern == model.TEXT_PATTERN for m in model.metadata(annotation)):
            assert _cpu(lambda v: fast(annotation, v), body + bad) < 100 * _cpu(lambda v: fast(annotation, v), body) + 0.01


def _entry_classes(cls=model.Entry):
    for sub in cls.__subclasses__():
        yield sub
        yield from _entry_classes(sub)


def _parts(annotation, markers: set, leaves: set) -> None:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *found = typing.get_args(annotation)
        markers.update(type(m) for m in found)
        _parts(base, markers, leaves)
    elif origin in (list, typing.Union, model._UnionType):
        for arg in typing.get_args(annotation):
            _parts(arg, markers, leaves)
    elif origin is typing.Literal:
        leaves.update(type(v) for v in typing.get_args(annotation))
    else:
        leaves.add(annotation)


def test_every_declaration_is_one_both_readers_understand():
    """The fast reader knows Rule, Key and Markup and reads str, int, bool, dates, literals,
    lists, optional values and entries; pydantic would apply any other marker (an
    annotated_types bound, a validator) that the fast reader would pass over."""
    markers, leaves = set(), set()
    for cls in _entry_classes():
        for name, _ in cls._fields:
            _parts(model.hints(cls)[name], markers, leaves)
    assert markers <= {model.Rule, model.Key, model.Markup}, markers
    # Both read a key's alias and description from the top of its declaration only.
    for cls in _entry_classes():
        for name, hint in model.hints(cls).items():
            inner = set()
            _parts(typing.get_args(hint)[0] if typing.get_origin(hint) is typing.Annotated else hint, inner, set())
            assert model.Key not in inner, (cls.__name__, name)
    entries = set(_entry_classes())
    assert leaves - entries <= {str, int, bool, dt.date, type(None)}, leaves - entries


CARD = {"id": "a", "type": "basic", "front": "Front", "back": "Back"}
# Per field of Rule: (type, rule, values the rule refuses, a value it takes).  A new field
# of Rule needs its example here, and so a look at both readers.
RULES = {
    "pattern": (str, model.Rule(pattern=r"^a+$"), ["b", "ab", "a\n"], "aa"),
    "max_length": (str, model.Rule(max_length=2), ["abc"], "ab"),
    "min_length": (str, model.Rule(min_length=2), ["a", ""], "ab"),
    "levels": (str, model.Rule(levels=True), ["a::", "a:: ::b", "::"], "a::b"),
    "characters": (str, model.Rule(characters=True), ["a\x00", "\ufdd0", "a\U0010fffe"], "a"),
    "ge": (int, model.Rule(ge=0), [-1], 0),
    "le": (int, model.Rule(le=0), [1], 0),
    "lax": (dt.date, model.Rule(lax=True), ["2026-02-30", "x", 5], "2026-11-30"),
    "tag": (typing.Union[model.BasicCard, model.ClozeCard], model.Rule(tag="type"),
            [{**CARD, "type": "x"}, {k: v for k, v in CARD.items() if k != "type"}], CARD),
}


@pytest.mark.parametrize("field", model.Rule._fields)
def test_each_rule_is_applied_by_both_readers(field):
    base, rule, refused, taken = RULES[field]
    annotation = typing.Annotated[base, rule]
    for value in refused:
        assert slow(annotation, value) is REFUSED, value
        assert fast(annotation, value) is UNSURE, value
    assert fast(annotation, taken) is not UNSURE
    agree(annotation, taken)
