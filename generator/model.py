"""The content model: one article's curated content, as validated data.

This module is the public content format (see README).  It imports neither
ReportLab nor genanki, so loading and checking content stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Union
from urllib.parse import quote

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

# Ids name Anki notes and PDF anchors; they must survive every format unescaped.
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
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
Tag = Annotated[str, StringConstraints(pattern=TAG_PATTERN, max_length=200), AfterValidator(_levels)]
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
_BAD_CHARACTER = re.compile(f"[{_BAD}]")


def _text_characters(value: str) -> str:
    if _BAD_CHARACTER.search(value):
        raise ValueError(TEXT_RULE)
    return value


TEXT_RULE = "text must not hold control, private-use or noncharacter code points"
_CHARACTERS = AfterValidator(_text_characters)


@dataclass(frozen=True)
class Markup:
    """How a text field is read: inline markup only, or paragraphs and lists too
    (``blocks``); with cloze deletions or without.  Checks and tests find every
    text field by this marker, so a new field is covered by declaring its type."""

    blocks: bool = False
    cloze: bool = False


Inline = Annotated[str, StringConstraints(pattern=TEXT_PATTERN), _CHARACTERS, Markup()]
# Paragraphs separated by blank lines, "- " and "1. " lists (generator.prose).
Prose = Annotated[str, StringConstraints(pattern=TEXT_PATTERN), _CHARACTERS, Markup(blocks=True)]
ClozeText = Annotated[str, StringConstraints(pattern=TEXT_PATTERN), _CHARACTERS, Markup(blocks=True, cloze=True)]
# Text without markup (names, quotes, keywords) obeys the same rule.
Plain = Annotated[str, StringConstraints(pattern=TEXT_PATTERN), _CHARACTERS]


Verdict = Literal["supported", "imprecise", "overstated", "unsupported"]
Evidence = Literal["human-trial", "human-observational", "animal", "cell", "review", "none"]
Model = Literal["cell", "mouse", "human"]



class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Article(Strict):
    slug: Slug
    title: Inline
    subtitle: Inline | None = None
    source: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The original article, verbatim; a path relative to the content file.")
    # Zip entries (the .apkg) can only carry dates from 1980 to 2107.
    version: Annotated[dt.date, Field(strict=False, ge=dt.date(1980, 1, 1), le=dt.date(2107, 12, 31),
                                      description="Content release date, YYYY-MM-DD.")]
    summary: Inline
    deck: Annotated[str, StringConstraints(min_length=1, pattern=DECK_PATTERN), AfterValidator(_levels),
                    AfterValidator(_text_characters)] = Field(
        description="Anki deck name; '::' separates levels.")
    editor: Plain | None = Field(None, description="Who curated the content; PDF author metadata.")
    notice: Inline | None = Field(None, description="A short notice (such as 'not medical advice') shown in every output.")
    keywords: list[Plain] = Field(default_factory=list, description="PDF keywords.")
    checked: Annotated[dt.date, Field(strict=False, ge=dt.date(1980, 1, 1), le=dt.date(2107, 12, 31),
                                      description="When the evidence was last checked, YYYY-MM-DD.")] | None = None
    draft: bool = Field(False, description="Unfinished content: check and build warn until it is removed.")


class Takeaway(Strict):
    text: Inline


class Section(Strict):
    id: Id
    heading: Inline
    body: Prose = Field(description="Paragraphs separated by blank lines; '- ' and '1. ' lists.")


class Claim(Strict):
    id: Id
    quote: Plain = Field(
        description="Verbatim words of the source article (whitespace may differ).")
    statement: Inline
    verdict: Verdict
    evidence: Evidence
    note: Inline | None = None
    refs: list[Id] = Field(default_factory=list)


class PathwayStep(Strict):
    id: Id
    label: Inline
    detail: Inline
    shown_in: Model | None = Field(
        None, description="The strongest model that shows the link from the previous step.")
    refs: list[Id] = Field(default_factory=list)


ALLOW_DESCRIPTION = "Card-writing checks (README, \"Card-writing checks\") not to apply to this entry, such as \"yes-no\"."


class GlossaryEntry(Strict):
    term: Inline
    definition: Prose
    reverse: bool = Field(False, description="Also ask the other way round: the definition, for the term.")
    allow: list[str] = Field(default_factory=list, description=ALLOW_DESCRIPTION)


# A volume, issue or page range is a number or a short text such as "Suppl 2" or "e42357".
Locator = Union[Annotated[int, Field(ge=0)],
                Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=40), _CHARACTERS]]


class Reference(Strict):
    id: Id
    authors: Plain
    year: int
    title: Inline
    journal: Inline
    volume: Locator | None = None
    issue: Locator | None = Field(None, description="Issue number; printed only with a volume.")
    pages: Locator | None = Field(None, description="Page range (e.g. \"218–221\") or article number.")
    doi: Annotated[str, StringConstraints(pattern=DOI_PATTERN)] | None = None
    url: Annotated[str, StringConstraints(pattern=URL_PATTERN)] | None = None
    note: Inline | None = None
    # The key is "short"; the attribute keeps that name for the citation itself.
    short_names: Plain | None = Field(
        None, alias="short",
        description="How short citations name the authors, when the rule gets it wrong: \"de Cabo and Mattson\".")

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


class _CardBase(Strict):
    id: Id
    tags: list[Tag] = Field(default_factory=list)
    refs: list[Id] = Field(default_factory=list)
    claim: Id | None = None
    section: Id | None = Field(None, description="The section the card's fact comes from.")
    pathway: bool = Field(False, description="Show the mechanism diagram on this card.")
    allow: list[str] = Field(default_factory=list, description=ALLOW_DESCRIPTION)


class BasicCard(_CardBase):
    type: Literal["basic", "reverse"]
    front: Prose
    back: Prose


class ClozeCard(_CardBase):
    type: Literal["cloze"]
    text: ClozeText = Field(description="Text with {{c1::deletions}}.")
    extra: Prose | None = None


Card = Annotated[Union[BasicCard, ClozeCard], Field(discriminator="type")]


class Content(Strict):
    article: Article
    takeaways: list[Takeaway] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    pathway: list[PathwayStep] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """Validated content together with where it came from."""

    path: Path
    content: Content
    source_text: str
    # Problems worth fixing that do not stop a build (check --strict fails on them);
    # each is a generator.errors.Problem.
    warnings: tuple = field(default=(), compare=False)

    @property
    def slug(self) -> str:
        return self.content.article.slug


def markup_of(info) -> Markup | None:
    """The Markup marker of a pydantic field (optional or not), or None for plain strings."""
    found = [m for m in info.metadata if isinstance(m, Markup)]
    for arg in typing.get_args(info.annotation):
        found += [m for m in getattr(arg, "__metadata__", ()) if isinstance(m, Markup)]
    return found[0] if found else None
