"""TOML content files to validated ``Document``s.

Loading is the first of two phases: every content file is read and checked
before any output is written.  Problems are collected, never raised one by
one, so an author sees all of them at once.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from generator import inline, model
from generator.errors import ContentError, Problem
from generator.model import ClozeCard, Content, Document


def load_all(paths: Iterable[Path]) -> list[Document]:
    """Load every file; raise one ContentError listing every problem of every file."""
    documents: list[Document] = []
    problems: dict[Path, list[Problem]] = {}
    for path in paths:
        try:
            documents.append(load(path))
        except ContentError as error:
            problems.update(error.problems)
    slugs: dict[str, Path] = {}
    for doc in documents:
        if doc.slug in slugs:
            problems.setdefault(doc.path, []).append(Problem(
                "article.slug", f"slug {doc.slug!r} is already used by {slugs[doc.slug]}"))
        slugs.setdefault(doc.slug, doc.path)
    if problems:
        raise ContentError(problems)
    return documents


def load(path: Path) -> Document:
    raw = _read_toml(path)
    try:
        content = Content.model_validate(raw)
    except ValidationError as error:
        raise ContentError({path: [_problem(raw, e) for e in error.errors()]}) from None
    source_path = path.parent / content.article.source
    source_text, problems = _read_source(source_path)
    problems += cross_check(content, source_text)
    if problems:
        raise ContentError({path: problems})
    return Document(path=path, content=content, source_text=source_text or "")


def _read_toml(path: Path) -> dict[str, Any]:
    def fail(what: str) -> ContentError:
        return ContentError({path: [Problem("", what)]})

    if path.is_dir():
        raise fail("is a directory, not a content file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as error:
        raise fail(f"cannot read: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")  # editors on Windows may start the file with a byte-order mark
    except UnicodeDecodeError as error:
        raise fail(f"not UTF-8 (byte {error.start})") from None
    if not text.strip():
        raise fail("the file is empty")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise fail(f"TOML syntax error: {error}") from None


def _read_source(path: Path) -> tuple[str | None, list[Problem]]:
    where = "article.source"
    if not path.is_file():
        return None, [Problem(where, f"source file {str(path)!r} does not exist")]
    try:
        return path.read_bytes().decode("utf-8"), []
    except UnicodeDecodeError as error:
        return None, [Problem(where, f"source file {str(path)!r} is not UTF-8 (byte {error.start})")]
    except OSError as error:
        return None, [Problem(where, f"cannot read source file {str(path)!r}: {error.strerror}")]


def key_path(raw: Any, loc: tuple[Any, ...]) -> str:
    """``('cards', 3, 'type')`` as ``cards[3].type``, naming the entry's id where it has one."""
    out = ""
    node = raw
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                out += f"(id={node['id']})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


# What each pattern of the content model means, in words an author can act on.
FORMS = {
    model.ID_PATTERN: "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit",
    model.SLUG_PATTERN: "use lower-case letters and digits in words joined by single hyphens (nmn-autophagy)",
    model.TAG_PATTERN: "a tag has no spaces or double quotes; use '::' for a hierarchy",
    model.DECK_PATTERN: "a deck name must not start or end with ':'",
    model.DOI_PATTERN: "a DOI looks like 10.1073/pnas.0712145105, without https://doi.org/",
    model.URL_PATTERN: "a URL starts with http:// or https:// and has no spaces",
    model.TEXT_PATTERN: "text needs a visible character and no control characters (tab and newline are fine)",
}


def _problem(raw: dict[str, Any], error: dict[str, Any]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    # A discriminated union puts the tag ("basic", "cloze") in the path; the
    # author's file has no such key, so drop it.
    if len(loc) >= 3 and loc[0] == "cards" and loc[2] in ("basic", "reverse", "cloze"):
        loc = loc[:2] + loc[3:]
    if kind == "extra_forbidden":
        return Problem(key_path(raw, loc), "unknown key")
    if kind == "missing":
        return Problem(key_path(raw, loc), "required key is missing")
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        return Problem(key_path(raw, loc + ("type",)),
                       f"unknown card type {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}")
    if kind == "union_tag_not_found":
        return Problem(key_path(raw, loc + ("type",)), "required key is missing")
    if kind == "literal_error":
        got = error.get("input")
        return Problem(key_path(raw, loc), f"{got!r} is not allowed; expected {error['ctx']['expected']}")
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        rule = FORMS.get(pattern, f"it must match the pattern {pattern}")
        return Problem(key_path(raw, loc), f"{error.get('input')!r} has the wrong form: {rule}")
    return Problem(key_path(raw, loc), error["msg"])


def normalise(text: str) -> str:
    return " ".join(text.split())


def cross_check(content: Content, source_text: str | None) -> list[Problem]:
    """Checks that span tables: unique ids, references that resolve, quotes in the source."""
    problems: list[Problem] = []
    tables = {
        "sections": [s.id for s in content.sections],
        "claims": [c.id for c in content.claims],
        "pathway": [p.id for p in content.pathway],
        "references": [r.id for r in content.references],
        "cards": [c.id for c in content.cards],
        "glossary": [g.term for g in content.glossary],
    }
    for table, ids in tables.items():
        for value, count in Counter(ids).items():
            if count > 1:
                index = ids.index(value, ids.index(value) + 1)
                key = "term" if table == "glossary" else "id"
                problems.append(Problem(f"{table}[{index}].{key}", f"duplicate {key} {value!r}"))

    refs, claims, sections = set(tables["references"]), set(tables["claims"]), set(tables["sections"])

    def check_refs(where: str, ids: list[str]) -> None:
        for i, ref in enumerate(ids):
            if ref not in refs:
                problems.append(Problem(f"{where}.refs[{i}]", f"no reference with id {ref!r}"))

    source = normalise(source_text) if source_text is not None else None
    for i, claim in enumerate(content.claims):
        check_refs(f"claims[{i}](id={claim.id})", claim.refs)
        if source is not None and normalise(claim.quote) not in source:
            problems.append(Problem(f"claims[{i}](id={claim.id}).quote",
                                    "not found verbatim in the source article"))
    for i, step in enumerate(content.pathway):
        check_refs(f"pathway[{i}](id={step.id})", step.refs)
    for i, card in enumerate(content.cards):
        where = f"cards[{i}](id={card.id})"
        check_refs(where, card.refs)
        if card.claim is not None and card.claim not in claims:
            problems.append(Problem(f"{where}.claim", f"no claim with id {card.claim!r}"))
        if card.section is not None and card.section not in sections:
            problems.append(Problem(f"{where}.section", f"no section with id {card.section!r}"))
        if card.pathway and not content.pathway:
            problems.append(Problem(f"{where}.pathway", "the card shows the mechanism diagram, "
                                                        "but the content has no [[pathway]] steps"))
        for j, tag in enumerate(card.tags):
            if tag == "evidence" or tag.startswith("evidence::"):
                problems.append(Problem(f"{where}.tags[{j}]", f"{tag!r} is reserved: studygen tags each card "
                                                              "evidence::<level> from its claim"))
        if isinstance(card, ClozeCard):
            problems += [Problem(f"{where}.text", what) for what in _cloze_problems(card.text)]
    for where, text in texts(content):
        for ref in inline.cites(inline.parse(text)):
            if ref not in refs:
                problems.append(Problem(where, f"cites [@{ref}] but there is no reference with that id"))
    return problems



def texts(content: Content) -> Iterable[tuple[str, str]]:
    """Every text field with its key path, for checks that look inside prose."""
    for table, entries in content:
        if table == "article":
            entries = [entries]
        for i, entry in enumerate(entries):
            where = "article" if table == "article" else f"{table}[{i}]"
            if isinstance(getattr(entry, "id", None), str):
                where += f"(id={entry.id})"
            for key, value in entry:
                if isinstance(value, str):
                    yield f"{where}.{key}", value


_LOOSE_CLOZE = re.compile(r"\{\{c\d+::")


def _cloze_problems(text: str) -> list[str]:
    """Cloze text Anki would make no card from, or other cards than we do."""
    tree = inline.parse(text, cloze=True)
    if not inline.cloze_numbers(tree):
        return ["a cloze card needs at least one {{c1::...}} deletion"]
    found = []

    def walk(nodes, inside: bool) -> None:
        for node in nodes:
            if isinstance(node, inline.Cloze):
                if inside:
                    found.append("a deletion inside another deletion; Anki would not make its card")
                walk(node.children, True)
            elif isinstance(node, inline.Text):
                if _LOOSE_CLOZE.search(node.text):
                    found.append("an unclosed {{cN::...}} deletion; close it with }}")
            else:
                walk(node.children, inside)

    walk(tree, False)
    return list(dict.fromkeys(found))
