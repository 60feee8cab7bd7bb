"""The content model: one article's curated content, as validated data.

This module is the public content format (see README).  It imports neither
ReportLab nor genanki, nor pydantic: each key is declared once here, with the
rules its value obeys (``Rule``).  ``generator.validate`` reads content with
these rules directly; ``generator.schema`` makes pydantic models of the same
declarations for what only they do well: a message for every problem at once,
and the JSON Schema.  Content is made of frozen ``Entry`` objects.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Iterator, Literal, NamedTuple, Union
from urllib.parse import quote

from generator.record import Record


class Rule(NamedTuple):
    """What a value must be beyond its type, checked by pydantic in this order (the first that
    fails names the problem): the string constraints, then ``levels`` (``_levels``), then
    ``characters`` (``_text_characters``); ``ge``/``le`` bound numbers and dates.  ``lax``:
    a date may also be written as a string (TOML dates are dates already).  ``tag``: a union
    of entries chosen by this key."""

    pattern: str | None = None
    max_length: int | None = None
    min_length: int | None = None
    levels: bool = False
    characters: bool = False
    ge: Any = None
    le: Any = None
    lax: bool = False
    tag: str | None = None


class Key(NamedTuple):
    """How a key is written and described (the JSON Schema shows the description)."""

    description: str | None = None
    alias: str | None = None  # the key in the file, when the attribute has another name


class Markup(NamedTuple):
    """How a text field is read: inline markup only, or paragraphs and lists too
    (``blocks``); with cloze deletions or without.  Checks and tests find every
    text field by this marker, so a new field is covered by declaring its type."""

    blocks: bool = False
    cloze: bool = False


# Ids name Anki notes and PDF anchors; they must survive every format unescaped.
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[str, Rule(pattern=ID_PATTERN, max_length=120)]
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Rule(pattern=SLUG_PATTERN, max_length=80)]
TAG_PATTERN = r"^[^\s\"]+$"
DECK_PATTERN = r"^[^:](?:.*[^:])?$"
BLANK_LEVEL = "a hierarchy level is blank: write levels joined by '::', each with a visible character"


def _levels(value: str) -> str:
    """Anki splits tags and deck names at '::'; a blank level becomes a nameless level in Anki."""
    if not all(level.strip() for level in value.split("::")):
        raise ValueError(BLANK_LEVEL)
    return value


DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
URL_PATTERN = r"^https?://\S+$"
Tag = Annotated[str, Rule(pattern=TAG_PATTERN, max_length=200, levels=True)]
# Text fields carry the inline markup of generator.inline.
# At least one visible character, and none of: control characters but tab and newline
# (Anki fields and PDF text would carry them invisibly); characters XML 1.0 does not
# allow (U+FFFE, U+FFFF; the SVG and the PDF's XML would break) and the other
# noncharacters (U+FDD0-U+FDEF, the last two code points of every plane), which
# Unicode reserves for a program's internal use; private-use characters (such as
# U+F0B7, a bullet of Word's Symbol font), which mean nothing outside the program
# that wrote them.  Surrogates cannot reach here: UTF-8 decoding and TOML refuse them.
# The pattern (also in `studygen schema`) names the BMP characters with \u escapes,
# which every regex dialect of JSON Schema reads; the planes above are checked by
# _text_characters, since ECMAScript patterns cannot name them without the u flag.
_BAD_BMP = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ue000-\\uf8ff\\ufdd0-\\ufdef\\ufffe\\uffff"
_BAD = (_BAD_BMP + "".join(f"\\U{p:04X}FFFE\\U{p:04X}FFFF" for p in range(1, 15))
        + "\\U000F0000-\\U0010FFFF")
TEXT_PATTERN = f"^[^{_BAD_BMP}]*[^\\s{_BAD_BMP}][^{_BAD_BMP}]*$"
# Every character _BAD names, and every character beyond the BMP: a class of few ranges is
# searched twenty times faster than _BAD's, and most text has no character beyond the BMP.
_SUSPECT = re.compile(f"[{_BAD_BMP}\\U00010000-\\U0010FFFF]")


@lru_cache(maxsize=None)
def _bad_character() -> re.Pattern:
    # Compiled only for text _SUSPECT picks out: it takes a millisecond, most articles never need it.
    return re.compile(f"[{_BAD}]")


def bad_characters(value: str) -> bool:
    """Whether ``value`` holds a character text may not hold."""
    return bool(_SUSPECT.search(value) and _bad_character().search(value))


def _text_characters(value: str) -> str:
    if bad_characters(value):
        raise ValueError(TEXT_RULE)
    return value


TEXT_RULE = "text must not hold control, private-use or noncharacter code points"
_TEXT = Rule(pattern=TEXT_PATTERN, characters=True)

Inline = Annotated[str, _TEXT, Markup()]
# Paragraphs separated by blank lines, "- " and "1. " lists (generator.prose).
Prose = Annotated[str, _TEXT, Markup(blocks=True)]
ClozeText = Annotated[str, _TEXT, Markup(blocks=True, cloze=True)]
# Text without markup (names, quotes, keywords) obeys the same rule.
Plain = Annotated[str, _TEXT]
# Zip entries (the .apkg) can only carry dates from 1980 to 2107.
Date = Annotated[dt.date, Rule(ge=dt.date(1980, 1, 1), le=dt.date(2107, 12, 31), lax=True)]


Verdict = Literal["supported", "imprecise", "overstated", "unsupported"]
Evidence = Literal["human-trial", "human-observational", "animal", "cell", "review", "none"]
Model = Literal["cell", "mouse", "human"]


class Entry(Record):
    """A table or an entry of content, made with keyword arguments; its attributes are its
    annotations, in order.  Unknown keys are refused and values are never coerced (but
    dates, see ``Rule.lax``) when content is read; nothing changes an entry afterwards."""

    __slots__ = ()
    _fields: tuple[tuple[str, Any], ...] = ()  # (attribute, default), default _REQUIRED or a _Factory

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._fields = tuple((name, cls._defaults.get(name, _REQUIRED)) for name in cls._names)

    def __init__(self, **values: Any):
        for name, default in self._fields:
            if name in values:
                value = values.pop(name)
            elif default is _REQUIRED:
                raise TypeError(f"{type(self).__name__}: missing {name!r}")
            else:
                value = default.make() if isinstance(default, _Factory) else default
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}: unknown {', '.join(map(repr, values))}")

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """(attribute, value) pairs in declaration order."""
        for name, _ in self._fields:
            yield name, getattr(self, name)


_REQUIRED = object()


class _Factory(NamedTuple):
    make: Any


def _list() -> Any:
    return _Factory(list)


class Article(Entry):
    slug: Slug
    title: Inline
    subtitle: Inline | None = None
    source: Annotated[str, Rule(min_length=1),
                      Key("The original article, verbatim; a path relative to the content file.")]
    version: Annotated[Date, Key("Content release date, YYYY-MM-DD.")]
    summary: Inline
    deck: Annotated[str, Rule(min_length=1, pattern=DECK_PATTERN, levels=True, characters=True),
                    Key("Anki deck name; '::' separates levels.")]
    editor: Annotated[Plain | None, Key("Who curated the content; PDF author metadata.")] = None
    notice: Annotated[Inline | None,
                      Key("A short notice (such as 'not medical advice') shown in every output.")] = None
    keywords: Annotated[list[Plain], Key("PDF keywords.")] = _list()
    checked: Annotated[Date | None, Key("When the evidence was last checked, YYYY-MM-DD.")] = None
    draft: Annotated[bool, Key("Unfinished content: check and build warn until it is removed.")] = False


class Takeaway(Entry):
    text: Inline


class Section(Entry):
    id: Id
    heading: Inline
    body: Annotated[Prose, Key("Paragraphs separated by blank lines; '- ' and '1. ' lists.")]


class Claim(Entry):
    id: Id
    quote: Annotated[Plain, Key("Verbatim words of the source article (whitespace may differ).")]
    statement: Inline
    verdict: Verdict
    evidence: Evidence
    note: Inline | None = None
    refs: list[Id] = _list()


class PathwayStep(Entry):
    id: Id
    label: Inline
    detail: Inline
    shown_in: Annotated[Model | None, Key("The strongest model that shows the link from the previous step.")] = None
    refs: list[Id] = _list()


ALLOW_DESCRIPTION = "Card-writing checks (README, \"Card-writing checks\") not to apply to this entry, such as \"yes-no\"."


class GlossaryEntry(Entry):
    term: Inline
    definition: Prose
    reverse: Annotated[bool, Key("Also ask the other way round: the definition, for the term.")] = False
    allow: Annotated[list[str], Key(ALLOW_DESCRIPTION)] = _list()


# A volume, issue or page range is a number or a short text such as "Suppl 2" or "e42357".
Locator = Union[Annotated[int, Rule(ge=0)], Annotated[str, Rule(pattern=TEXT_PATTERN, max_length=40, characters=True)]]


class Reference(Entry):
    id: Id
    authors: Plain
    year: int
    title: Inline
    journal: Inline
    volume: Locator | None = None
    issue: Annotated[Locator | None, Key("Issue number; printed only with a volume.")] = None
    pages: Annotated[Locator | None, Key("Page range (e.g. \"218–221\") or article number.")] = None
    doi: Annotated[str, Rule(pattern=DOI_PATTERN)] | None = None
    url: Annotated[str, Rule(pattern=URL_PATTERN)] | None = None
    note: Inline | None = None
    # The key is "short"; the attribute keeps that name for the citation itself.
    short_names: Annotated[Plain | None, Key("How short citations name the authors, when the rule gets it wrong: "
                                             "\"de Cabo and Mattson\".", alias="short")] = None

    @property
    def doi_url(self) -> str | None:
        """The DOI as a link; characters a URL may not hold raw (such as "<" in old DOIs) are encoded."""
        return "https://doi.org/" + quote(self.doi, safe="/:;()._-") if self.doi else None

    @property
    def locator(self) -> str:
        """Where in the journal, Vancouver style: "483(7388):218–221", "19:20", "e42357" or ""."""
        text = str(self.volume).strip() if self.volume is not None else ""
        if text and self.issue is not None:
            text += f"({str(self.issue).strip()})"
        if self.pages is not None:
            pages = str(self.pages).strip()
            text = f"{text}:{pages}" if text else pages
        return text

    @property
    def short(self) -> str:
        """The short citation cards use: "Lee 2008", "Diekelmann and Born 2010", "Lee et al. 2008"."""
        return f"{self.short_names or short_authors(self.authors)} {self.year}"


# Lower-case words that start a surname ("de Cabo", "van der Berg") rather than being one.
PARTICLES = {"af", "al", "bin", "da", "dal", "de", "degli", "del", "della", "der", "des", "di", "do", "dos",
             "du", "el", "la", "le", "st", "ten", "ter", "van", "von", "zu", "zum", "zur"}


def _surname(author: str) -> str:
    """ "de Cabo R" -> "de Cabo"; "van der Berg A" -> "van der Berg"; a name without initials
    ("World Health Organization") is a corporate author, kept whole."""
    words = author.split()
    # Vancouver style: the surname, then initials (upper-case letters, optionally with dots or hyphens).
    if len(words) >= 2 and all(ch.isupper() or ch in ".-" for ch in words[-1]) and len(words[-1]) <= 4:
        words = words[:-1]
        return " ".join(words)
    if len(words) >= 2 and words[0].lower() not in PARTICLES and all(w[:1].isupper() for w in words) \
            and len(words) == 2 and len(words[0].rstrip(".")) <= 2:
        return words[1]  # "A Smith"
    return " ".join(words)


def short_authors(authors: str) -> str:
    """The authors as a short citation names them: one surname, two joined by "and", else "et al."."""
    names = [a.strip() for a in authors.split(",") if a.strip()]
    more = any(n.lower().rstrip(".") in ("et al", "et al.") for n in names) or len(names) > 2
    names = [n for n in names if n.lower().rstrip(".") != "et al"]
    if not names:
        return authors.strip()
    if more:
        return f"{_surname(names[0])} et al."
    if len(names) == 2:
        return f"{_surname(names[0])} and {_surname(names[1])}"
    return _surname(names[0])



class _CardBase(Entry):
    id: Id
    tags: list[Tag] = _list()
    refs: list[Id] = _list()
    claim: Id | None = None
    section: Annotated[Id | None, Key("The section the card's fact comes from.")] = None
    pathway: Annotated[bool, Key("Show the mechanism diagram on this card.")] = False
    allow: Annotated[list[str], Key(ALLOW_DESCRIPTION)] = _list()


class BasicCard(_CardBase):
    type: Literal["basic", "reverse"]
    front: Prose
    back: Prose


class ClozeCard(_CardBase):
    type: Literal["cloze"]
    text: Annotated[ClozeText, Key("Text with {{c1::deletions}}.")]
    extra: Prose | None = None


Card = Annotated[Union[BasicCard, ClozeCard], Rule(tag="type")]


class Content(Entry):
    article: Article
    takeaways: list[Takeaway] = _list()
    sections: list[Section] = _list()
    claims: list[Claim] = _list()
    pathway: list[PathwayStep] = _list()
    glossary: list[GlossaryEntry] = _list()
    references: list[Reference] = _list()
    cards: list[Card] = _list()


class Document(Record):
    """Validated content together with where it came from."""

    path: Path
    content: Content
    source_text: str
    # Problems worth fixing that do not stop a build (check --strict fails on them);
    # each is a generator.errors.Problem.
    warnings: tuple = ()
    _uncompared = ("warnings",)

    @property
    def slug(self) -> str:
        return self.content.article.slug


@lru_cache(maxsize=None)
def hints(cls: type) -> dict[str, Any]:
    """Each attribute's declared type, with its rules and markers (not Entry's own ``_fields``)."""
    found = typing.get_type_hints(cls, include_extras=True)
    return {name: found[name] for name, _ in cls._fields}


def key_of(hint: Any) -> Key:
    """How an attribute's key is written and described (``Key()`` when its declaration says nothing)."""
    return next((m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Key)), Key())


_UnionType = type(int | None)


def metadata(annotation: Any) -> tuple:
    """The markers of a declared type (``Annotated``), those of an optional one's type included."""
    found = ()
    if typing.get_origin(annotation) is Annotated:
        found, annotation = annotation.__metadata__, typing.get_args(annotation)[0]
    for arg in typing.get_args(annotation) if typing.get_origin(annotation) in (Union, _UnionType) else ():
        found += getattr(arg, "__metadata__", ())
    return found



def markup_of(annotation: Any) -> Markup | None:
    """The Markup marker of a declared type (optional or not), or None for plain strings.
    A pydantic field (``generator.schema``) may be given too: its metadata is read."""
    found = list(metadata(annotation)) if not hasattr(annotation, "metadata") else \
        list(annotation.metadata) + list(metadata(annotation.annotation))
    return next((m for m in found if isinstance(m, Markup)), None)


@lru_cache(maxsize=None)
def markups(cls: type) -> dict[str, Markup]:
    """The text fields of an entry class that carry markup, by attribute."""
    return {name: m for name, hint in hints(cls).items() if (m := markup_of(hint)) is not None}


_AS_IS = frozenset({str, int, float, bool, type(None)})


def dump(value: Any, exclude: typing.Collection[str] = ()) -> Any:
    """Content as JSON data, keyed by attribute (as pydantic's ``model_dump(mode="json")``
    gives it), without the top-level attributes in ``exclude``: build keys and the deck's
    content stamp are made of it."""
    # Nearly every value is a string (or None, a number, a flag), which dumps as itself: taken
    # as it is without a call per value (73,000 of them at 5,000 cards).
    if isinstance(value, Entry):
        return {name: v if type(v := getattr(value, name)) in _AS_IS else dump(v)
                for name, _ in value._fields if name not in exclude}
    if isinstance(value, list):
        return [v if type(v) in _AS_IS else dump(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dump_json(value: Any, exclude: typing.Collection[str] = ()) -> str:
    """``dump`` as compact JSON text, characters outside ASCII as they are."""
    return to_json(dump(value, exclude))


def to_json(data: Any) -> str:
    """JSON data as ``dump_json`` writes it (pydantic's ``model_dump_json``)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
