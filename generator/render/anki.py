"""The Anki deck (.apkg) through genanki.

Identity rules (see README, "Anki"): note type, field, template and deck ids
are fixed, note GUIDs come from the slug and the card id (glossary notes: the
slug and the term; generator.identity keeps the two apart), and the package
timestamp rises with the content version, so a re-import updates notes in place
and keeps the learner's review history.  What Anki's import cannot do (change a
note's type, update from a package no newer than the notes) is checked against
the deck a build replaces (``stale``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import io
import json
import sqlite3
import tempfile
import types
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from generator import standins


def _cached_property() -> types.ModuleType:
    module = types.ModuleType("cached_property")
    module.cached_property = functools.cached_property  # the same caching, without asyncio
    return module


with standins.standing_in(cached_property=_cached_property(), yaml=standins.lazy("yaml")):
    import genanki

from generator import __version__, buildkey, identity
from generator.memo import per_content
from generator.errors import ContentError, Problem
from generator import prose
from generator.inline import parse, plain
from generator.load import normalise
from generator.model import BasicCard, ClozeCard, Content, Document, GlossaryEntry, Reference, to_json
from generator.record import Record
from generator.render import FORMATS, Options, release_time
from generator.render.markup import anki_text, to_html, to_html_blocks
from generator.study import EVIDENCE_WORDS, GLOSSARY_SOURCE

# Fixed forever: changing one makes Anki treat every note as new.
BASIC_ID = 1040205913
REVERSE_ID = 1064105797
CLOZE_ID = 1609954917
TERM_ID = 1715609848  # 1 << 30 | first 4 bytes of sha256("studygen:model:term") >> 2

CSS = """\
.card {
  font-family: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, "Noto Serif", "DejaVu Serif", serif;
  font-size: 1.25em;
  line-height: 1.45;
  text-align: center;
  color: #1d1d1f;
  background: #fffdf8;
  padding: 0.5em;
  overflow-wrap: break-word;
}
img { max-width: 100%; height: auto; }
a { color: #0b57d0; }
hr#answer { margin: 0.8em 0; border: 0; border-top: 1px solid #ccc; }
.cloze { font-weight: bold; color: #0b57d0; }
.card p { margin: 0.5em 0; }
/* Lists keep the card centred but read left-aligned. */
.card ul, .card ol { display: inline-block; text-align: left; margin: 0.4em 0; padding-left: 1.4em; }
.extra { margin-top: 0.8em; font-size: 0.9em; }
.source {
  margin: 1.2em auto 0;
  max-width: 42em;
  font-size: 0.72em;
  text-align: left;
  color: #4a4a4a;
  border-top: 1px solid #ccc;
  padding-top: 0.5em;
}
.source div + div { margin-top: 0.35em; }
.source .grade { font-style: italic; }
.source .diagram { text-align: center; }
/* The diagram is drawn dark on light; keep it on a light ground in night mode too. */
.source .diagram img { background: #fffdf8; border-radius: 6px; padding: 0.3em; }
.nightMode.card, .night_mode.card, .nightMode .card, .night_mode .card {
  color: #ececec;
  background: #1e1e1e;
}
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #555; }
.nightMode .source, .night_mode .source { color: #c8c8c8; border-top-color: #555; }
.nightMode a, .night_mode a, .nightMode .cloze, .night_mode .cloze { color: #8ab4f8; }
"""

_SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'


def _stable_id(key: str) -> int:
    """A positive 63-bit id from a fixed key."""
    return int.from_bytes(hashlib.sha256(f"studygen:{key}".encode()).digest()[:8], "big") >> 1


def _fields(model: str, *names: str) -> list[dict]:
    # Field ids key on the position, not the name: Anki then treats a renamed
    # field as the same field and updates the note type in place, where a
    # field without an id would make it import a second note type ("Name+").
    return [{"name": name, "id": _stable_id(f"model:{model}:field:{i}")} for i, name in enumerate(names)]


def _templates(model: str, *cards: tuple[str, str, str]) -> list[dict]:
    return [{"name": name, "qfmt": front, "afmt": back, "id": _stable_id(f"model:{model}:template:{i}")}
            for i, (name, front, back) in enumerate(cards)]


def _back(answer: str) -> str:
    return '{{FrontSide}}<hr id="answer">' + f'<div class="answer">{answer}</div>' + _SOURCE


BASIC = genanki.Model(
    BASIC_ID, "studygen Basic",
    fields=_fields("basic", "Front", "Back", "Source"),
    templates=_templates("basic", ("Card 1", "{{Front}}", _back("{{Back}}"))),
    css=CSS,
)

REVERSE = genanki.Model(
    REVERSE_ID, "studygen Basic (and reversed card)",
    fields=_fields("reverse", "Front", "Back", "Source"),
    templates=_templates("reverse",
                         ("Card 1", "{{Front}}", _back("{{Back}}")),
                         ("Card 2", "{{Back}}", _back("{{Front}}"))),
    css=CSS,
)

CLOZE = genanki.Model(
    CLOZE_ID, "studygen Cloze",
    fields=_fields("cloze", "Text", "Extra", "Source"),
    templates=_templates("cloze", (
        "Cloze", "{{cloze:Text}}",
        '{{cloze:Text}}{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}' + _SOURCE)),
    css=CSS,
    model_type=genanki.Model.CLOZE,
)

# A Term note's Source is filled only when its entry asks for the definition-to-term
# card (reverse = true): Anki makes no card whose front renders empty, so the field
# switches that card on and off while the note type keeps its three fields (a fourth
# would make Anki import a second note type, "studygen Term+", for every learner).
_GLOSSARY_SOURCE = ('{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
                    '{{^Source}}<div class="source"><div class="section">' + GLOSSARY_SOURCE
                    + '</div></div>{{/Source}}')


def _term_back(answer: str) -> str:
    return '{{FrontSide}}<hr id="answer">' + f'<div class="answer">{answer}</div>' + _GLOSSARY_SOURCE


TERM = genanki.Model(
    TERM_ID, "studygen Term",
    fields=_fields("term", "Term", "Definition", "Source"),
    templates=_templates("term",
                         ("Term to definition", "{{Term}}", _term_back("{{Definition}}")),
                         ("Definition to term", "{{#Source}}{{Definition}}{{/Source}}", _term_back("{{Term}}"))),
    css=CSS,
)

MODELS = {"basic": BASIC, "reverse": REVERSE, "cloze": CLOZE, "term": TERM}


class NoteSpec(Record):
    """One note as it will be built; the deck and the ``cards`` listing both read these."""

    key: str  # the card id, or "glossary:" + term
    kind: str  # a key of MODELS
    fields: tuple[str, ...]  # HTML
    tags: tuple[str, ...]
    guid: str
    cards: int  # how many cards Anki makes from the note
    front: str  # the author's text of the first field, for listings


def deck_id(name: str) -> int:
    """A stable id for a deck name; Anki matches decks by name, genanki needs an id."""
    digest = hashlib.sha256(f"studygen:deck:{name}".encode()).digest()
    return 1 << 30 | int.from_bytes(digest[:4], "big") >> 2


def media_name(content: Content) -> str:
    """The diagram's file name; media names are global in a collection, so the slug leads."""
    return f"{content.article.slug}-pathway.svg"


def _link(url: str, text: str) -> str:
    return f'<a href="{anki_text(url, attribute=True)}">{anki_text(text)}</a>'


def _reference_html(ref: Reference) -> str:
    text = anki_text(ref.short)
    if ref.doi:
        return f"{text}, " + _link(ref.doi_url, f"doi:{ref.doi}")
    if ref.url:
        return f"{text}, " + _link(ref.url, ref.url)
    return text


def _cite(refs: dict[str, Reference]):
    return lambda ref_id: anki_text(f"({refs[ref_id].short})")


def _diagram_html(content: Content) -> str:
    steps = " → ".join(plain(parse(step.label)) for step in content.pathway)
    return (f'<div class="diagram"><img src="{html.escape(media_name(content), quote=True)}" '
            f'alt="{anki_text("Mechanism: " + steps, attribute=True)}"></div>')


class _Lookups:
    """What the notes of one content look up by id, and the citations and reference lines they
    repeat (thousands of notes cite the same few references), each made once."""

    def __init__(self, content: Content):
        self.refs = {r.id: r for r in content.references}
        self.claims: dict[str, object] = {}
        for claim in content.claims:
            self.claims.setdefault(claim.id, claim)
        self.sections: dict[str, object] = {}
        for section in content.sections:
            self.sections.setdefault(section.id, section)
        self.cite = lru_cache(maxsize=None)(_cite(self.refs))
        self.reference_html = lru_cache(maxsize=None)(lambda ref_id: _reference_html(self.refs[ref_id]))
        self.diagram_html = lru_cache(maxsize=None)(lambda: _diagram_html(content))


_lookups_of = per_content(_Lookups)


def source_html(content: Content, card: BasicCard | ClozeCard) -> str:
    """The back's source block: diagram, the claim as it should read, its grading, and the references."""
    lookups = _lookups_of(content)
    cite = lookups.cite
    parts = []
    if card.pathway and content.pathway:
        parts.append(lookups.diagram_html())
    cite_ids = list(card.refs)
    if card.claim:
        claim = lookups.claims[card.claim]
        parts.append(f'<div class="claim">{to_html(claim.statement, cite=cite, anki=True)}</div>')
        evidence = EVIDENCE_WORDS.get(claim.evidence, claim.evidence)
        parts.append(f'<div class="grade">The article\'s claim: {html.escape(claim.verdict)}. '
                     f'Evidence: {html.escape(evidence)}.</div>')
        cite_ids += [r for r in claim.refs if r not in cite_ids]
    if card.section:
        section = lookups.sections[card.section]
        parts.append(f'<div class="section">From “{to_html(section.heading, cite=cite, anki=True)}”</div>')
    if cite_ids:
        parts.append('<div class="refs">'
                     + "; ".join(lookups.reference_html(r) for r in dict.fromkeys(cite_ids)) + "</div>")
    return "".join(parts)


def tags(content: Content, card: BasicCard | ClozeCard | None) -> tuple[str, ...]:
    if card is None:
        return tuple(sorted({content.article.slug, "glossary"}))
    out = [content.article.slug, *card.tags]
    if card.claim:
        evidence = _lookups_of(content).claims[card.claim].evidence
        out.append(f"evidence::{evidence}")
    return tuple(sorted(set(out)))


def card_note(content: Content, card: BasicCard | ClozeCard) -> NoteSpec:
    cite = _lookups_of(content).cite
    source = source_html(content, card)
    if isinstance(card, ClozeCard):
        fields = (to_html_blocks(card.text, cite=cite, cloze=True, bare=True, anki=True),
                  to_html_blocks(card.extra, cite=cite, bare=True, anki=True) if card.extra else "", source)
        kind, count, front = "cloze", len(prose.cloze_numbers(card.text)), card.text
    else:
        fields = (to_html_blocks(card.front, cite=cite, bare=True, anki=True),
                  to_html_blocks(card.back, cite=cite, bare=True, anki=True), source)
        kind, count, front = card.type, 2 if card.type == "reverse" else 1, card.front
    return NoteSpec(card.id, kind, fields, tags(content, card),
                    genanki.guid_for(*identity.card_parts(content.article.slug, card.id)), count, normalise(front))


def term_note(content: Content, entry: GlossaryEntry) -> NoteSpec:
    cite = _lookups_of(content).cite
    source = f'<div class="section">{GLOSSARY_SOURCE}</div>' if entry.reverse else ""
    fields = (to_html(entry.term, cite=cite, anki=True),
              to_html_blocks(entry.definition, cite=cite, bare=True, anki=True), source)
    # "glossary" keeps a term's GUID apart from a card whose id is spelt the same (generator.identity).
    return NoteSpec(f"glossary:{entry.term}", "term", fields, tags(content, None),
                    genanki.guid_for(*identity.term_parts(content.article.slug, entry.term)), 2 if entry.reverse else 1,
                    normalise(entry.term))


def notes(content: Content) -> list[NoteSpec]:
    """Every note of the deck: the cards in content order, then one Term note per glossary entry."""
    return list(_notes(content))


@per_content  # the deck and the HTML preview share them
def _notes(content: Content) -> list[NoteSpec]:
    return ([card_note(content, card) for card in content.cards]
            + [term_note(content, entry) for entry in content.glossary])


def rows(content: Content) -> list[tuple[str, str, str, str, str]]:
    """The notes as table rows: id, note type, card count, tags, front."""
    return [(n.key, n.kind, str(n.cards), " ".join(n.tags), n.front) for n in notes(content)]


def media(doc: Document) -> list[tuple[str, bytes]]:
    """The media files the deck's fields refer to, as (file name, bytes)."""
    if not any(card.pathway for card in doc.content.cards):
        return []
    from generator.render.pdf.diagram import svg_with_fonts

    return [(media_name(doc.content), svg_with_fonts(doc.content).encode("utf-8"))]


def render(doc: Document, options: Options) -> bytes:
    content = doc.content
    cite = _cite({r.id: r for r in content.references})
    description = f"<p>{to_html(content.article.summary, cite=cite, anki=True)}</p>"
    if content.article.notice:
        description += f"<p><i>{to_html(content.article.notice, cite=cite, anki=True)}</i></p>"
    deck = genanki.Deck(deck_id(content.article.deck), content.article.deck, description=description)
    for spec in notes(content):
        deck.add_note(genanki.Note(model=MODELS[spec.kind], fields=list(spec.fields),
                                   tags=list(spec.tags), guid=spec.guid))
    return package_bytes(genanki.Package(deck), int(release_time(content.article.version).timestamp()), media(doc),
                         comment=f"{release_stamp(doc)}; build {buildkey.key(doc, FORMATS['anki'], options)}")


def release_stamp(doc: Document) -> str:
    """What a package was built from, kept in its zip comment so the next build can compare."""
    # The deck's own inputs only: an edit that leaves the deck alone must not change its bytes.
    data = to_json(buildkey.content_data(doc.content, FORMATS["anki"].ignores))
    digest = hashlib.sha256(f"{__version__}\n{data}".encode()).hexdigest()[:20]
    return f"studygen {__version__}; version {doc.content.article.version.isoformat()}; content {digest}"


class Released(Record):
    """What a deck built earlier holds, as far as a learner's next import is concerned."""

    comment: str  # its release stamp
    time: int | None  # its package timestamp: the date Anki compares with its notes
    types: dict[str, int]  # note GUID -> note type id


def released(path: Path) -> Released | None:
    """Read a deck this build would replace; None when it is no deck of ours."""
    try:
        with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory(prefix="studygen-") as tmp:
            comment = zf.comment.decode("utf-8", "replace").split("; build ")[0]
            db = Path(tmp) / "collection.anki2"
            db.write_bytes(zf.read("collection.anki2"))
            conn = sqlite3.connect(db)
            try:
                time = conn.execute("select max(mod) from notes").fetchone()[0]
                types = dict(conn.execute("select guid, mid from notes"))
            finally:
                conn.close()
    except (OSError, KeyError, zipfile.BadZipFile, sqlite3.Error):
        return None
    return Released(comment, time, types)


def stale(doc: Document, previous: Path) -> str | None:
    """Compare this build with the deck it replaces, as Anki's import will.

    A card whose note type changed is an error: Anki keeps a note's type on
    import and skips the changed note as "conflicting", so the change would
    never reach learners.  Other content that is no newer than the previous
    deck gives a warning: Anki updates notes only from a package newer than
    them, so learners who imported that deck would silently keep it.
    """
    old = released(previous)
    if old is None:
        return None
    _refuse_type_changes(doc, previous, old)
    new_time = int(release_time(doc.content.article.version).timestamp())
    if old.comment == release_stamp(doc) or old.time is None or new_time > old.time:
        return None
    same = f"with the same version {doc.content.article.version.isoformat()}" if new_time == old.time else (
        f"and this build (dated {_utc(new_time)}) is not newer than it (dated {_utc(old.time)})")
    return (f"{previous} was built from different content {same}: Anki will not update notes imported "
            "from it. Raise [article].version before sharing this deck.")


def _utc(stamp: int) -> str:
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


_KIND_NAMES = {model.model_id: name for name, model in MODELS.items()}


def _refuse_type_changes(doc: Document, previous: Path, old: Released) -> None:
    problems = []
    index = {card.id: i for i, card in enumerate(doc.content.cards)}
    for spec in notes(doc.content):
        was = old.types.get(spec.guid)
        if was is None or was == MODELS[spec.kind].model_id or spec.key not in index:
            continue
        before = _KIND_NAMES.get(was, "another note type")
        problems.append(Problem(
            f"cards[{index[spec.key]}](id={spec.key}).type",
            f"{spec.kind!r}, but the deck this build replaces ({previous}) has this card as {before!r}. "
            "Anki cannot change the type of a note learners "
            "already have: it would keep the old note and skip this one, so the change would never reach "
            f"them. Keep type {before!r}, or give the card a new id: learners then get a new note, and "
            "the old one stays in their collection, with its review history, until they delete it. "
            f"If no learner has {previous.name}, delete it and build again."))
    if problems:
        raise ContentError({doc.path: problems})


def package_bytes(package: genanki.Package, stamp: int, media: Sequence[tuple[str, bytes]] = (),
                  comment: str = "") -> bytes:
    """The .apkg as bytes, identical for identical input (genanki's own writer dates zip entries now)."""
    with tempfile.TemporaryDirectory(prefix="studygen-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        # A scratch file, read back and deleted at once: waiting for the disk after each of
        # genanki's statements (fsync) took most of the deck's time.  The bytes are the same.
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = MEMORY")
        id_gen = iter(range(stamp * 1000, stamp * 1000 + 10**9))
        package.write_to_db(conn.cursor(), stamp, id_gen)
        conn.commit()
        conn.close()
        db = db_path.read_bytes()
    date = dt.datetime.fromtimestamp(stamp, dt.timezone.utc).timetuple()[:6]
    files = sorted(media)
    index = {str(i): name for i, (name, _) in enumerate(files)}
    entries = [("collection.anki2", db), ("media", json.dumps(index, sort_keys=True).encode())]
    entries += [(str(i), data) for i, (_, data) in enumerate(files)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.comment = comment.encode("utf-8")
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=max(date, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue()
