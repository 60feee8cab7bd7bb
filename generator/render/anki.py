"""The Anki deck (.apkg) through genanki.

Identity rules (see README, "Anki"): note type and deck ids are fixed, note
GUIDs come from the slug and the card id, and the package timestamp rises with
the content version, so a re-import updates notes in place and keeps the
learner's review history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import genanki

from generator.model import BasicCard, ClozeCard, Content, Document, Reference
from generator.render import Options
from generator.render.markup import to_html

# Fixed forever: changing one makes Anki treat every note as new.
BASIC_ID = 1040205913
REVERSE_ID = 1064105797
CLOZE_ID = 1609954917

CSS = """\
.card {
  font-family: "Iowan Old Style", "Palatino Linotype", Georgia, serif;
  font-size: 1.25em;
  line-height: 1.45;
  text-align: center;
  color: #1d1d1f;
  background: #fffdf8;
  padding: 0.5em;
}
img { max-width: 100%; height: auto; }
hr#answer { margin: 0.8em 0; }
.source {
  margin-top: 1.2em;
  font-size: 0.72em;
  text-align: left;
  color: #4a4a4a;
  border-top: 1px solid #ccc;
  padding-top: 0.5em;
}
.source a { color: #0b57d0; }
.cloze { font-weight: bold; color: #0b57d0; }
.extra { margin-top: 0.8em; font-size: 0.9em; }
.nightMode .card, .night_mode .card, .card.nightMode, .card.night_mode {
  color: #ececec;
  background: #1e1e1e;
}
.nightMode .source, .night_mode .source { color: #c8c8c8; border-top-color: #555; }
.nightMode .source a, .night_mode .source a, .nightMode .cloze, .night_mode .cloze { color: #8ab4f8; }
"""

_SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'

BASIC = genanki.Model(
    BASIC_ID, "studygen Basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=[{
        "name": "Card 1",
        "qfmt": "{{Front}}",
        "afmt": '{{FrontSide}}<hr id="answer">{{Back}}' + _SOURCE,
    }],
    css=CSS,
)

REVERSE = genanki.Model(
    REVERSE_ID, "studygen Basic (and reversed card)",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=[
        {"name": "Card 1", "qfmt": "{{Front}}",
         "afmt": '{{FrontSide}}<hr id="answer">{{Back}}' + _SOURCE},
        {"name": "Card 2", "qfmt": "{{Back}}",
         "afmt": '{{FrontSide}}<hr id="answer">{{Front}}' + _SOURCE},
    ],
    css=CSS,
)

CLOZE = genanki.Model(
    CLOZE_ID, "studygen Cloze",
    fields=[{"name": "Text"}, {"name": "Extra"}, {"name": "Source"}],
    templates=[{
        "name": "Cloze",
        "qfmt": "{{cloze:Text}}",
        "afmt": '{{cloze:Text}}{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}' + _SOURCE,
    }],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)


def deck_id(name: str) -> int:
    """A stable id for a deck name; Anki matches decks by name, genanki needs an id."""
    digest = hashlib.sha256(f"studygen:deck:{name}".encode()).digest()
    return 1 << 30 | int.from_bytes(digest[:4], "big") >> 2


def timestamp(content: Content) -> int:
    """Seconds since the epoch for the package: the version date, or SOURCE_DATE_EPOCH if later.

    Anki only updates existing notes from a package newer than them, so the
    timestamp must rise with every release and stay fixed within one.
    """
    version = dt.datetime.combine(content.article.version, dt.time(), dt.timezone.utc)
    stamp = int(version.timestamp())
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        stamp = max(stamp, int(epoch))
    return stamp


def short_reference(ref: Reference) -> str:
    first = ref.authors.split(",")[0].strip()
    surname = first.split(" ")[0] if " " in first else first
    more = "," in ref.authors or "et al" in ref.authors
    return f"{surname}{' et al.' if more else ''} {ref.year}"


def _reference_html(ref: Reference) -> str:
    text = to_html(short_reference(ref))
    if ref.doi:
        url = "https://doi.org/" + ref.doi
        return f'{text}, <a href="{to_html(url)}">doi:{to_html(ref.doi)}</a>'
    return text


def source_html(content: Content, card: BasicCard | ClozeCard) -> str:
    refs = {r.id: r for r in content.references}
    claims = {c.id: c for c in content.claims}
    parts = []
    cite_ids = list(card.refs)
    if card.claim:
        claim = claims[card.claim]
        parts.append(f"{to_html(claim.statement, cite=_cite(refs))} "
                     f"<i>({claim.verdict}; evidence: {claim.evidence})</i>")
        cite_ids += [r for r in claim.refs if r not in cite_ids]
    if cite_ids:
        parts.append("; ".join(_reference_html(refs[r]) for r in dict.fromkeys(cite_ids)))
    return "<br>".join(parts)


def _cite(refs: dict[str, Reference]):
    return lambda ref_id: to_html(f"({short_reference(refs[ref_id])})")


def tags(content: Content, card: BasicCard | ClozeCard) -> list[str]:
    out = [content.article.slug, *card.tags]
    if card.claim:
        evidence = next(c.evidence for c in content.claims if c.id == card.claim)
        out.append(f"evidence::{evidence}")
    return sorted(set(out))


def note(content: Content, card: BasicCard | ClozeCard) -> genanki.Note:
    refs = {r.id: r for r in content.references}
    source = source_html(content, card)
    if isinstance(card, ClozeCard):
        model = CLOZE
        fields = [to_html(card.text, cite=_cite(refs), cloze=True),
                  to_html(card.extra, cite=_cite(refs)) if card.extra else "", source]
    else:
        model = REVERSE if card.type == "reverse" else BASIC
        fields = [to_html(card.front, cite=_cite(refs)), to_html(card.back, cite=_cite(refs)), source]
    return genanki.Note(model=model, fields=fields, tags=tags(content, card),
                        guid=genanki.guid_for(content.article.slug, card.id))


def render(doc: Document, options: Options) -> bytes:
    content = doc.content
    deck = genanki.Deck(deck_id(content.article.deck), content.article.deck,
                        description=to_html(content.article.summary))
    for card in content.cards:
        deck.add_note(note(content, card))
    return package_bytes(genanki.Package(deck), timestamp(content))


def package_bytes(package: genanki.Package, stamp: int) -> bytes:
    """The .apkg as bytes, identical for identical input (genanki's own writer dates zip entries now)."""
    with tempfile.TemporaryDirectory(prefix="studygen-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        id_gen = iter(range(stamp * 1000, stamp * 1000 + 10**9))
        package.write_to_db(conn.cursor(), stamp, id_gen)
        conn.commit()
        conn.close()
        db = db_path.read_bytes()
    date = dt.datetime.fromtimestamp(stamp, dt.timezone.utc).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        media = {str(i): Path(path).name for i, path in enumerate(package.media_files)}
        entries = [("collection.anki2", db), ("media", json.dumps(media, sort_keys=True).encode())]
        entries += [(str(i), Path(path).read_bytes()) for i, path in enumerate(package.media_files)]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=max(date, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue()
