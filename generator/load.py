"""TOML content files to validated ``Document``s.

Loading is the first of two phases: every content file is read and checked
before any output is written.  Problems are collected, never raised one by
one, so an author sees all of them at once.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from generator import cardrules, collector, identity, inline, model, textcheck, tomlfast, validate
from generator.errors import ContentError, Problem
from generator.locate import Locator
from generator.model import Content, Document
from generator.pending import Warnings
from generator.record import replace


def load_all(paths: Iterable[Path]) -> list[Document]:
    """Load every file; raise one ContentError listing every problem of every file."""
    return gathered(map(loaded, paths))


def loaded(path: Path) -> Document | ContentError:
    """The document, or what stops it from loading."""
    try:
        return load(path)
    except ContentError as error:
        return error


def gathered(results: Iterable[Document | ContentError]) -> list[Document]:
    """Each file's ``loaded`` result, in file order, as ``load_all`` returns them: the documents,
    or one ContentError listing every file's problems and each slug used twice."""
    documents: list[Document] = []
    problems: dict[Path, list[Problem]] = {}
    for result in results:
        if isinstance(result, ContentError):
            problems.update(result.problems)
        else:
            documents.append(result)
    slugs: dict[str, Path] = {}
    for doc in documents:
        if doc.slug in slugs:
            problem = Problem("article.slug", f"slug {doc.slug!r} is already used by {slugs[doc.slug]}")
            try:
                import tomllib

                text = doc.path.read_text(encoding="utf-8-sig")
                problem = _at(problem, Locator(text, tomllib.loads(text)))
            except (OSError, ValueError):  # changed since it was loaded: no line rather than a wrong one
                pass
            problems.setdefault(doc.path, []).append(problem)
        slugs.setdefault(doc.slug, doc.path)
    if problems:
        raise ContentError(problems)
    return documents


def load(path: Path) -> Document:
    with collector.paused():  # what loading makes lives on: nothing for the collector to find
        return _load(path)


def _load(path: Path) -> Document:
    text = _read_text(path)
    try:
        raw = _clean(_parse_toml(path, text))
        problems, content, kept = _validate(raw)
        source_text = None
        article = raw.get("article")
        if isinstance(article, dict) and isinstance(article.get("source"), str) and article["source"]:
            source_text, found = _read_source(path.parent / article["source"])
            problems += found
        locator = Locator.lazy(text, raw)  # lines are looked for only when something is reported
        problems += duplicates(raw, locator.line)
        problems += [_renumber(p, kept) for p in cross_check(content, source_text, identities(raw))]
    except RecursionError:
        raise ContentError({path: [Problem("", "values are nested too deeply to read "
                                               "(arrays or tables inside each other hundreds of levels deep)")]}) from None
    if problems:
        raise ContentError({path: [_at(p, locator) for p in problems]})
    return Document(path=path, content=content, source_text=source_text or "",
                    warnings=Warnings(_warnings, (path, text, content), raw))


def _warnings(path: Path, text: str, content: Content, raw: dict[str, Any] | None = None) -> list[Problem]:
    """The warnings of loaded content: the markup's and the card-writing rules',
    each with its line in the file (``raw``: the file's parsed TOML, read again if not given)."""
    with collector.paused():
        warnings = textcheck.warnings(content) + cardrules.check(content)
        warnings += [Problem("article.draft", "this is a draft (made by `studygen new`); "
                                             "remove `draft = true` from [article] when the content is finished")
                    ] if content.article.draft else []
        if not warnings:
            return []
        locator = Locator.lazy(text, raw if raw is not None else _clean(_parse_toml(path, text)))
        return [_at(p, locator) for p in warnings]


def locate(path: Path, problems: list[Problem]) -> list[Problem]:
    """``problems`` found after loading (by a renderer's check), with their lines in ``path``."""
    try:
        text = _read_text(path)
        locator = Locator(text, _clean(_parse_toml(path, text)))
    except (ContentError, RecursionError):  # changed since it was loaded: no lines rather than wrong ones
        return problems
    return [_at(p, locator) for p in problems]


def _at(problem: Problem, locator: Locator) -> Problem:
    if problem.line is not None:
        return problem
    return replace(problem, line=locator.line(problem.where))


def _read_text(path: Path) -> str:
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
    return text


_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    quick = tomlfast.loads(text)  # the plain TOML content files are written in; None: tomllib reads it
    if quick is not None:
        return quick
    import tomllib  # only here: importing it costs more than reading an article with tomlfast

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = _TOML_LINE.search(str(error))
        raise ContentError({path: [Problem("", f"TOML syntax error: {error}",
                                           int(at.group(1)) if at else None)]}) from None


def clean_text(text: str) -> str:
    """Text as studygen stores it: NFC, without zero-width no-break spaces, tabs as spaces.

    NFC first, so text typed or saved in decomposed form (an editor on macOS)
    compares, matches and names notes the same as composed text.  U+FEFF is an
    invisible byte-order mark pasted into the text; a tab is one space of white space.
    """
    return unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("\t", " ")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _validate(raw: dict[str, Any]) -> tuple[list[Problem], Content, dict[str, list[int]]]:
    """Schema problems, and the content made of every entry that did validate.

    Entries with problems are left out of the returned content (``kept`` maps
    its indices back to the file's), so they are reported once while every
    valid entry is still cross-checked in the same run.  Valid content is read
    without pydantic (``generator.validate``); pydantic reads the rest and names
    every problem.
    """
    found = validate.content(raw)
    if found is not None:
        return [], found, {}
    from pydantic import ValidationError

    from generator import schema

    reference = schema.model_of(Content)
    try:
        return [], schema.to_entries(reference.model_validate(raw)), {}
    except ValidationError as error:
        errors = error.errors()
    problems = [_problem(raw, e) for e in errors]
    bad: dict[str, set[int | None]] = {}
    for e in errors:
        loc = e["loc"]
        if not loc:
            continue
        whole = len(loc) < 2 or not isinstance(loc[1], int) or not isinstance(raw.get(loc[0]), list)
        bad.setdefault(str(loc[0]), set()).add(None if whole else loc[1])
    parts: dict[str, Any] = {}
    kept: dict[str, list[int]] = {}
    for name, info in reference.model_fields.items():
        value = raw.get(name)
        if value is None or None in bad.get(name, ()):
            parts[name] = None if info.is_required() else info.get_default(call_default_factory=True)
            continue
        if isinstance(value, list):
            kept[name] = [i for i in range(len(value)) if i not in bad.get(name, ())]
            value = [value[i] for i in kept[name]]
        parts[name] = schema.to_entries(schema.adapter(model.hints(Content)[name]).validate_python(value))
    return problems, Content(**parts), kept


def _renumber(problem: Problem, kept: dict[str, list[int]]) -> Problem:
    """A problem found in the validated entries, named by the entry's index in the file."""
    match = re.match(r"([a-z_]+)\[(\d+)\]", problem.where)
    if not match or match.group(1) not in kept:
        return problem
    index = kept[match.group(1)][int(match.group(2))]
    return replace(problem, where=f"{match.group(1)}[{index}]{problem.where[match.end():]}")


def _read_source(path: Path) -> tuple[str | None, list[Problem]]:
    where = "article.source"
    if not path.is_file():
        return None, [Problem(where, f"source file {str(path)!r} does not exist")]
    try:
        return clean_text(path.read_bytes().decode("utf-8-sig")), []
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
    model.TEXT_PATTERN: "text needs a visible character",
}


def _problem(raw: dict[str, Any], error: dict[str, Any]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    # A discriminated union puts the tag ("basic", "cloze") in the path; the
    # author's file has no such key, so drop it.
    if len(loc) >= 3 and loc[0] == "cards" and loc[2] in ("basic", "reverse", "cloze"):
        loc = loc[:2] + loc[3:]
    if kind == "extra_forbidden":
        return Problem(key_path(raw, loc), "unknown key" + suggest(str(loc[-1]), _keys_at(raw, loc[:-1])))
    if kind == "missing":
        return Problem(key_path(raw, loc), "required key is missing")
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        tag = str(ctx.get("tag"))
        return Problem(key_path(raw, loc + ("type",)),
                       f"unknown card type {tag!r}; expected one of {ctx.get('expected_tags')}"
                       + suggest(tag, re.findall(r"'([^']*)'", str(ctx.get("expected_tags")))))
    if kind == "union_tag_not_found":
        return Problem(key_path(raw, loc + ("type",)), "required key is missing")
    if kind == "literal_error":
        got = error.get("input")
        expected = error["ctx"]["expected"]
        return Problem(key_path(raw, loc), f"{got!r} is not allowed; expected {expected}"
                       + (suggest(got, re.findall(r"'([^']*)'", expected)) if isinstance(got, str) else ""))
    if loc == ("article", "version") and kind.startswith("date"):
        return Problem(key_path(raw, loc), f"{error.get('input')!r} is not a date; write the release date "
                                           'as YYYY-MM-DD, for example version = "2026-11-25"')
    if kind == "string_pattern_mismatch" or (kind == "value_error" and model.TEXT_RULE in error["msg"]):
        pattern = error.get("ctx", {}).get("pattern", model.TEXT_PATTERN)
        bad = _bad_character(error.get("input"))
        if pattern == model.TEXT_PATTERN and bad:
            return Problem(key_path(raw, loc), bad)
        rule = FORMS.get(pattern, f"it must match the pattern {pattern}")
        return Problem(key_path(raw, loc), f"{error.get('input')!r} has the wrong form: {rule}")
    if kind == "value_error":
        return Problem(key_path(raw, loc), f"{error.get('input')!r}: {error['msg'].removeprefix('Value error, ')}")
    return Problem(key_path(raw, loc), error["msg"])


def _bad_character(value: Any) -> str | None:
    """What is wrong with the first character text may not hold, in words."""
    if not isinstance(value, str):
        return None
    for index, char in enumerate(value):
        if re.match(f"[{model._BAD}]", char):
            category = unicodedata.category(char)
            kind = ("a private-use character, which means nothing outside the program that wrote it "
                    "(U+F0B7 is a bullet of Word's Symbol font: use • or a '- ' list)" if category == "Co"
                    else "a control character" if category == "Cc"
                    else "a noncharacter, which XML and so the PDF and the deck cannot carry")
            return f"character {index + 1} is U+{ord(char):04X}, {kind}; remove or replace it"
    return None


def _keys_at(raw: dict[str, Any], loc: tuple[Any, ...]) -> list[str]:
    """The keys the content model allows at ``loc`` (a table or an entry), for suggestions."""
    from pydantic import BaseModel

    from generator import schema

    fields = schema.model_of(Content).model_fields
    if not loc:
        return list(fields)
    annotation = fields[loc[0]].annotation if loc[0] in fields else None
    if len(loc) == 2 and typing.get_origin(annotation) is list:
        annotation = typing.get_args(annotation)[0]
    elif len(loc) != 1:
        return []
    models = [annotation]
    while models and not (isinstance(models[0], type) and issubclass(models[0], BaseModel)):
        models = [m for a in models for m in typing.get_args(a)]
    models = [m for m in models if isinstance(m, type) and issubclass(m, BaseModel)]
    entry = raw.get(loc[0]) if len(loc) == 1 else raw.get(loc[0], [])[loc[1]]
    kind = entry.get("type") if isinstance(entry, dict) else None
    chosen = [m for m in models if kind in typing.get_args(m.model_fields.get("type").annotation)] \
        if len(models) > 1 and all("type" in m.model_fields for m in models) else []
    # As the file writes them: a field's alias (references' "short") rather than its attribute.
    return [field.alias or key for m in (chosen or models) for key, field in m.model_fields.items()]


def normalise(text: str) -> str:
    return " ".join(text.split())


# Quotes are matched with typographic quotation marks and apostrophes equal to straight
# ones: which of them an article uses depends on the editor it went through, not the author.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
# What a look-alike pair is, for the message that points at it.
_LOOK_ALIKES = {
    frozenset("-–"): "a hyphen and an en dash", frozenset("-—"): "a hyphen and an em dash",
    frozenset("–—"): "an en dash and an em dash", frozenset("-‐"): "two kinds of hyphen",
    frozenset("-−"): "a hyphen and a minus sign", frozenset(" \u00a0"): "a space and a no-break space",
}


def match_form(text: str) -> str:
    """Text as quotes are matched: white space folded, typographic quotes straight."""
    return normalise(text).translate(_QUOTES)


def quote_problem(quote: str, source_text: str) -> str:
    """Why a quote is not in the source: the closest passage and the first character that differs."""
    import difflib  # only messages need it: not imported by builds that have none
    wanted, source = normalise(quote), normalise(source_text)
    folded_wanted, folded_source = wanted.translate(_QUOTES), source.translate(_QUOTES)
    matcher = difflib.SequenceMatcher(None, folded_source, folded_wanted, autojunk=False)
    block = matcher.find_longest_match(0, len(folded_source), 0, len(folded_wanted))
    message = "not found verbatim in the source article"
    if block.size < 4:
        return message + " (no passage of the source comes close)"
    start = max(0, block.a - block.b)
    passage = source[start:start + len(wanted)]
    differ = next((k for k, (a, b) in enumerate(zip(folded_wanted, passage.translate(_QUOTES))) if a != b),
                  min(len(wanted), len(passage)))
    message += f"; the closest passage is {passage!r}"
    if differ >= len(wanted):
        return message
    got = wanted[differ]
    has = passage[differ] if differ < len(passage) else ""
    message += (f"; they first differ at character {differ + 1} of the quote: the quote has {_name(got)} "
                f"where the source has {_name(has) if has else 'nothing more'}")
    pair = _LOOK_ALIKES.get(frozenset((got, has)))
    if pair:
        message += f" ({pair} look alike; copy the source's character)"
    return message


def _name(char: str) -> str:
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"


# The tables whose entries have an identity, and the key that holds it.
KEYS = {"sections": "id", "claims": "id", "pathway": "id", "references": "id", "cards": "id", "glossary": "term"}


def identities(raw: dict[str, Any]) -> dict[str, list[Any]]:
    """Each table's ids (glossary terms), as written, including entries with other problems."""
    found = {}
    for table, key in KEYS.items():
        entries = raw.get(table)
        entries = entries if isinstance(entries, list) else []
        found[table] = [e.get(key) if isinstance(e, dict) else None for e in entries]
    return found


def duplicates(raw: dict[str, Any], line_of=lambda where: None) -> list[Problem]:
    """An id used twice, named at its second use, with where it was first used."""
    problems = []
    for table, ids in identities(raw).items():
        key = KEYS[table]
        first: dict[str, int] = {}
        for index, value in enumerate(ids):
            if not isinstance(value, str):
                continue
            if value in first:
                earlier = f"{table}[{first[value]}]"
                line = line_of(f"{earlier}.{key}")
                problems.append(Problem(f"{table}[{index}].{key}", f"duplicate {key} {value!r}; first used by "
                                        f"{earlier}" + (f" (line {line})" if line else "")))
            first.setdefault(value, index)
    return problems


def suggest(word: str, choices: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for a near miss, else nothing."""
    import difflib  # only messages need it: not imported by builds that have none
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def cross_check(content: Content, source_text: str | None,
                known: dict[str, list[Any]] | None = None) -> list[Problem]:
    """Checks that span tables: references that resolve, quotes in the source, cloze deletions.

    ``known`` holds each table's ids as written (``identities``), so a reference to an
    entry that has problems of its own is not reported as dangling as well.
    """
    problems: list[Problem] = []
    if known is None:
        known = {table: [getattr(e, key) for e in getattr(content, table)] for table, key in KEYS.items()}
    refs, claims, sections = ({i for i in known[t] if isinstance(i, str)} for t in ("references", "claims", "sections"))

    def check_refs(where: str, ids: list[str]) -> None:
        for i, ref in enumerate(ids):
            if ref not in refs:
                problems.append(Problem(f"{where}.refs[{i}]", f"no reference with id {ref!r}" + suggest(ref, refs)))

    problems += ungrounded_grades(content)
    source = match_form(source_text) if source_text is not None else None
    for i, claim in enumerate(content.claims):
        check_refs(f"claims[{i}](id={claim.id})", claim.refs)
        if source is not None and match_form(claim.quote) not in source:
            problems.append(Problem(f"claims[{i}](id={claim.id}).quote", quote_problem(claim.quote, source_text)))
    for i, step in enumerate(content.pathway):
        check_refs(f"pathway[{i}](id={step.id})", step.refs)
    for i, card in enumerate(content.cards):
        where = f"cards[{i}](id={card.id})"
        check_refs(where, card.refs)
        if (clash := identity.card_id_problem(card.id)) is not None:
            problems.append(Problem(f"{where}.id", clash))
        if card.claim is not None and card.claim not in claims:
            problems.append(Problem(f"{where}.claim", f"no claim with id {card.claim!r}" + suggest(card.claim, claims)))
        if card.section is not None and card.section not in sections:
            problems.append(Problem(f"{where}.section",
                                    f"no section with id {card.section!r}" + suggest(card.section, sections)))
        if card.pathway and not content.pathway:
            problems.append(Problem(f"{where}.pathway", "the card shows the mechanism diagram, "
                                                        "but the content has no [[pathway]] steps"))
        for j, tag in enumerate(card.tags):
            # Anki compares tags without regard to case.
            if tag.lower() == "evidence" or tag.lower().startswith("evidence::"):
                problems.append(Problem(f"{where}.tags[{j}]", f"{tag!r} is reserved: studygen tags each card "
                                                              "evidence::<level> from its claim"))
        problems += [Problem(f"{where}.allow[{j}]", what) for j, what in cardrules.unknown_rules(card.allow)]
    for i, entry in enumerate(content.glossary):
        problems += [Problem(f"glossary[{i}].allow[{j}]", what) for j, what in cardrules.unknown_rules(entry.allow)]
    problems += textcheck.errors(content)
    for where, text in texts(content):
        if where.endswith(".quote"):
            continue  # the article's own words, printed as they are: "[@" in them cites nothing
        if "[@" not in text:
            continue  # cites nothing, without parsing it
        for ref in inline.cited(text):
            if ref not in refs:
                problems.append(Problem(where, f"cites [@{ref}] but there is no reference with that id"
                                               + suggest(ref, refs)))
    return problems



def ungrounded_grades(content: Content) -> list[Problem]:
    """A verdict other than 'unsupported' rests on evidence, so the claim must cite it."""
    return [Problem(f"claims[{i}](id={claim.id}).refs",
                    f"a claim graded {claim.verdict!r} needs a reference for the evidence behind the grade "
                    "(only 'unsupported' may have none)")
            for i, claim in enumerate(content.claims) if claim.verdict != "unsupported" and not claim.refs]


def texts(content: Content) -> Iterable[tuple[str, str]]:
    """Every text field with its key path, for checks that look inside prose."""
    for table, entries in content:
        if table == "article":
            entries = [entries] if entries is not None else []  # None: an article with problems
        for i, entry in enumerate(entries):
            where = "article" if table == "article" else f"{table}[{i}]"
            if isinstance(getattr(entry, "id", None), str):
                where += f"(id={entry.id})"
            for key, value in entry:
                if isinstance(value, str):
                    yield f"{where}.{key}", value
