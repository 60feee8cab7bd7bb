"""The deck, imported with the real Anki engine."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import re
import sqlite3
import subprocess
import sys
import tomllib
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import genanki
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.inline import parse, plain
from generator.render import Options
from tests.conftest import CONTENT, ROOT, import_apkg, starter, write_content

DECK_FILE = "nmn-autophagy.apkg"
MEDIA = "nmn-autophagy-pathway.svg"
MODEL_FIELDS = {
    "studygen Basic": ["Front", "Back", "Source"],
    "studygen Basic (and reversed card)": ["Front", "Back", "Source"],
    "studygen Cloze": ["Text", "Extra", "Source"],
    "studygen Term": ["Term", "Definition", "Source"],
}


def visible(markup: str) -> str:
    """What a reader sees of card HTML: no style, no tags, entities decoded, spaces collapsed."""
    markup = re.sub(r"<style>.*?</style>", "", markup, flags=re.S)
    markup = re.sub(r"<(?:br|hr|/?div|/?p)\b[^>]*>", " ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def text_of(markup: str) -> str:
    """Content text as it reads once its inline markup is applied (no citations in it)."""
    return " ".join(plain(parse(markup)).split())


def shows(markup: str, card_html: str) -> bool:
    """Every stretch of ``markup`` between citations reads as typed in the card."""
    seen = squash(visible(card_html))
    return all(squash(text_of(piece)) in seen for piece in re.split(r"\[@[^\]]+\]", markup))


def squash(text: str) -> str:
    return "".join(text.split())


def cloze_question(text: str, number: int) -> str:
    """The cloze text as Anki asks card ``number``: that deletion hidden, the others shown."""
    def swap(match: re.Match) -> str:
        answer, _, hint = match.group(2).partition("::")
        if int(match.group(1)) != number:
            return answer
        return f"[{hint}]" if hint else "[...]"
    return re.sub(r"\{\{c(\d+)::((?:[^{}]|\{[^{}]*\})*?)\}\}", swap, text)


def expected_card_count(data: dict) -> int:
    total = sum(2 if entry.get("reverse") else 1 for entry in data.get("glossary", []))
    for card in data["cards"]:
        if card["type"] == "cloze":
            total += len(set(re.findall(r"\{\{c(\d+)::", card["text"])))
        else:
            total += 2 if card["type"] == "reverse" else 1
    return total


def expected_tags(data: dict, card: dict) -> set[str]:
    tags = {data["article"]["slug"], *card.get("tags", [])}
    if "claim" in card:
        claim = next(c for c in data["claims"] if c["id"] == card["claim"])
        tags.add(f"evidence::{claim['evidence']}")
    return tags


def build_deck(data: dict, folder: Path) -> Path:
    path = write_content(folder / "content", data)
    build([path], folder / "out", ["anki"], Options())
    return folder / "out" / DECK_FILE


def notes_by_guid(col) -> dict:
    return {note.guid: note for note in map(col.get_note, col.find_notes(""))}


def note_by_guid(col, guid: str):
    return notes_by_guid(col)[guid]


def shipped() -> dict:
    return tomllib.loads(CONTENT.read_text(encoding="utf-8"))


def test_import_counts_and_rendering(built, tmp_path):
    data = shipped()
    slug, deck = data["article"]["slug"], data["article"]["deck"]
    refs = {r["id"]: r for r in data["references"]}
    col, log = import_apkg(tmp_path / "c.anki2", built / DECK_FILE)
    try:
        assert len(log.new) == col.note_count() == len(data["cards"]) + len(data["glossary"])
        assert col.card_count() == expected_card_count(data)
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            assert col.decks.name(card.did) == deck
            assert visible(card.question()) and visible(card.answer())

        by_guid = notes_by_guid(col)
        for item in data["cards"]:
            note = by_guid[genanki.guid_for(slug, item["id"])]
            assert set(note.tags) == expected_tags(data, item), item["id"]
            cards = sorted(note.cards(), key=lambda c: c.ord)
            if item["type"] == "cloze":
                numbers = sorted({int(n) for n in re.findall(r"\{\{c(\d+)::", item["text"])})
                assert [c.ord + 1 for c in cards] == numbers
                for card, number in zip(cards, numbers):
                    assert shows(cloze_question(item["text"], number), card.question())
                    assert shows(re.sub(r"\{\{c\d+::(.*?)\}\}", r"\1", item["text"]), card.answer())
            else:
                front, back = item["front"], item["back"]
                assert shows(front, cards[0].question()) and shows(back, cards[0].answer())
                if item["type"] == "reverse":
                    assert len(cards) == 2
                    assert shows(back, cards[1].question()) and shows(front, cards[1].answer())
                else:
                    assert len(cards) == 1
            answer = cards[0].answer()
            if "claim" in item:
                claim = next(c for c in data["claims"] if c["id"] == item["claim"])
                assert shows(claim["statement"], answer)
                assert claim["verdict"] in visible(answer)
                item_refs = item.get("refs", []) + claim["refs"]
            else:
                item_refs = item.get("refs", [])
            for ref_id in item_refs:
                ref = refs[ref_id]
                assert str(ref["year"]) in visible(answer)
                assert ref["authors"].split()[0] in visible(answer)
                if "doi" in ref:
                    assert f'href="https://doi.org/{ref["doi"]}"' in answer
            assert (f'<img src="{MEDIA}"' in answer) == bool(item.get("pathway"))
            assert not any(visible(c.question()) == visible(c.answer()) for c in cards)

        for entry in data["glossary"]:
            note = by_guid[genanki.guid_for(slug, "glossary", entry["term"])]
            assert set(note.tags) == {slug, "glossary"}
            term_card, *reverse = sorted(note.cards(), key=lambda c: c.ord)
            term, definition = entry["term"], entry["definition"]
            assert shows(term, term_card.question()) and shows(definition, term_card.answer())
            assert visible(term_card.question()) == visible(note["Term"])
            assert "Glossary" in visible(term_card.answer())
            assert len(reverse) == (1 if entry.get("reverse") else 0), entry["term"]
            for definition_card in reverse:
                assert shows(definition, definition_card.question()) and shows(term, definition_card.answer())
                assert visible(definition_card.question()) == visible(note["Definition"])
        assert not col.get_empty_cards().notes
    finally:
        col.close()


def test_note_types_and_stylesheet(built, tmp_path):
    col, _ = import_apkg(tmp_path / "c.anki2", built / DECK_FILE)
    try:
        used = {col.get_note(nid).mid for nid in col.find_notes("")}
        models = [col.models.get(mid) for mid in used]
        assert {m["name"]: [f["name"] for f in m["flds"]] for m in models} == MODEL_FIELDS
        # Explicit ids survive the import: they are what keeps a renamed field the same field.
        ids = [f.get("id") for m in models for f in m["flds"]] + [t.get("id") for m in models for t in m["tmpls"]]
        assert all(isinstance(i, int) and i for i in ids) and len(set(ids)) == len(ids)
        assert len({m["css"] for m in models}) == 1
        css = models[0]["css"]
        assert re.search(r"img\s*\{[^}]*max-width:\s*100%", css)
        assert ".nightMode" in css and ".night_mode" in css
        assert not re.search(r"(?<![-\w])width\s*:", css), "no fixed widths"
        for model in models:
            for template in model["tmpls"]:
                for side in (template["qfmt"], template["afmt"]):
                    assert "<script" not in side.lower() and not re.search(r"\son\w+\s*=", side)
    finally:
        col.close()


def test_diagram_media(built, tmp_path):
    from fontTools.ttLib import TTFont

    data = shipped()
    col, _ = import_apkg(tmp_path / "c.anki2", built / DECK_FILE)
    try:
        media = Path(col.media.dir()) / MEDIA
        assert media.is_file()
        assert not col.media.check().missing
    finally:
        col.close()
    root = ET.fromstring(media.read_bytes())
    drawn = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for step in data["pathway"]:  # the diagram may draw ^{+} as a superscript character
        assert unicodedata.normalize("NFKC", text_of(step["label"])) in unicodedata.normalize("NFKC", drawn)
    # An <img> SVG cannot use the card's fonts: each font it names must be embedded
    # and hold a glyph for every character drawn in it.
    faces = {}
    for style in root.iter("{http://www.w3.org/2000/svg}style"):
        for name, b64 in re.findall(r"font-family:\s*([\w-]+);\s*src:\s*url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)",
                                    style.text or ""):
            faces[name] = TTFont(io.BytesIO(base64.b64decode(b64))).getBestCmap()
    texts = [t for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts
    for text in texts:
        family = re.search(r"font-family:\s*([\w-]+)", text.get("style", "")).group(1)
        assert family in faces, family
        assert all(ord(ch) in faces[family] for ch in "".join(text.itertext()) if not ch.isspace())


def test_text_is_escaped_once(tmp_path):
    data = starter()
    card = data["cards"][0]
    card["front"] = 'Is <sirt1> the same as "AT&T" & **bold**?'
    card["back"] = "x < y &amp; <b>not bold</b>"
    col, _ = import_apkg(tmp_path / "c.anki2", build_deck(data, tmp_path))
    try:
        note = note_by_guid(col, genanki.guid_for(data["article"]["slug"], card["id"]))
        question, answer = note.cards()[0].question(), note.cards()[0].answer()
        assert "<b>bold</b>" in question and "<sirt1>" not in question
        assert 'Is <sirt1> the same as "AT&T" & bold?' in visible(question)
        assert "x < y &amp; <b>not bold</b>" in visible(answer)
        assert "<b>not bold</b>" not in answer
    finally:
        col.close()


def test_reimport_updates_in_place_and_keeps_history(tmp_path):
    data = starter()
    first = build_deck(data, tmp_path / "v1")
    col, _ = import_apkg(tmp_path / "c.anki2", first)
    try:
        col.decks.select(col.decks.id_for_name(data["article"]["deck"]))
        reviewed = col.sched.getCard()
        col.sched.answerCard(reviewed, 4)
        reviewed.load()
        assert reviewed.type == 2 and reviewed.ivl > 0
        history = (reviewed.id, reviewed.type, reviewed.ivl, reviewed.due)
        revlog = col.db.all("select id, cid, ease, ivl from revlog")
        notetypes = sorted(m["name"] for m in col.models.all())
        counts = (col.note_count(), col.card_count())
    finally:
        col.close()

    edited = next(c for c in data["cards"] if c["type"] == "basic")
    edited["back"] = "An edited answer, with **new** words."
    version = dt.date.fromisoformat(str(data["article"]["version"]))
    data["article"]["version"] = (version + dt.timedelta(days=1)).isoformat()
    second = build_deck(data, tmp_path / "v2")
    col, log = import_apkg(tmp_path / "c.anki2", second)
    try:
        assert len(log.new) == 0
        note = note_by_guid(col, genanki.guid_for(data["article"]["slug"], edited["id"]))
        assert note.id in {entry.id.nid for entry in log.updated}
        assert note["Back"] == "An edited answer, with <b>new</b> words."
        card = col.get_card(history[0])
        assert (card.id, card.type, card.ivl, card.due) == history
        assert col.db.all("select id, cid, ease, ivl from revlog") == revlog
        assert sorted(m["name"] for m in col.models.all()) == notetypes
        assert (col.note_count(), col.card_count()) == counts
    finally:
        col.close()

    # The same content and version build the same bytes.
    assert build_deck(data, tmp_path / "v2-again").read_bytes() == second.read_bytes()

    # Why every release needs a new version: Anki skips a package no newer than its notes.
    edited["back"] = "Edited again, under the same version."
    col, log = import_apkg(tmp_path / "c.anki2", build_deck(data, tmp_path / "v2-stale"))
    try:
        assert len(log.new) == 0 and len(log.updated) == 0
    finally:
        col.close()


def test_renamed_field_updates_the_note_type_in_place(tmp_path, monkeypatch):
    from generator.render import anki

    data = starter()
    col, _ = import_apkg(tmp_path / "c.anki2", build_deck(data, tmp_path / "v1"))
    col.close()
    monkeypatch.setitem(anki.BASIC.fields[0], "name", "Question")
    monkeypatch.setitem(anki.BASIC.templates[0], "qfmt", "{{Question}}")
    version = dt.date.fromisoformat(str(data["article"]["version"]))
    data["article"]["version"] = (version + dt.timedelta(days=1)).isoformat()
    col, log = import_apkg(tmp_path / "c.anki2", build_deck(data, tmp_path / "v2"))
    try:
        assert len(log.new) == 0 and len(log.updated) > 0
        basic = [m for m in col.models.all() if m["name"].startswith("studygen Basic") and "reversed" not in m["name"]]
        assert [(m["name"], [f["name"] for f in m["flds"]]) for m in basic] == \
            [("studygen Basic", ["Question", "Back", "Source"])]
    finally:
        col.close()


def test_anki_only_and_reproducible_across_processes(built, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([sys.executable, "-m", "generator", "build", str(CONTENT), "-o", str(out),
                           "--format", "anki"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in out.iterdir()] == [DECK_FILE]
    assert (out / DECK_FILE).read_bytes() == (built / DECK_FILE).read_bytes()


def _package_times(apkg: Path) -> tuple[set[int], set[tuple]]:
    with zipfile.ZipFile(apkg) as zf:
        dates = {info.date_time for info in zf.infolist()}
        db = Path(apkg.parent / "collection.anki2")
        db.write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("select mod from notes")}, dates
    finally:
        conn.close()
        db.unlink()


def test_source_date_epoch(tmp_path, monkeypatch):
    data = starter()
    content = write_content(tmp_path / "content", data)
    version = dt.datetime.combine(dt.date.fromisoformat(str(data["article"]["version"])), dt.time(),
                                  dt.timezone.utc)
    later = version + dt.timedelta(days=3, hours=5)
    runner = CliRunner()
    for epoch, expected in ((None, version), (later, later), (version - dt.timedelta(days=30), version)):
        out = tmp_path / f"out-{expected.timestamp():.0f}-{epoch is None}"
        env = {"SOURCE_DATE_EPOCH": str(int(epoch.timestamp())) if epoch else ""}
        result = runner.invoke(main, ["build", str(content), "-o", str(out), "--format", "anki"], env=env)
        assert result.exit_code == 0, result.output
        mods, dates = _package_times(out / DECK_FILE)
        assert mods == {int(expected.timestamp())}
        assert dates == {expected.timetuple()[:6]}

    out = tmp_path / "bad"
    result = runner.invoke(main, ["build", str(content), "-o", str(out), "--format", "anki"],
                           env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 1
    assert "SOURCE_DATE_EPOCH" in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_pathway_card_needs_pathway_steps(tmp_path):
    data = starter()
    data["pathway"] = []
    data["takeaways"] = data.get("takeaways", [])
    content = write_content(tmp_path / "content", data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(out), "--format", "anki"])
    index = next(i for i, c in enumerate(data["cards"]) if c.get("pathway"))
    assert result.exit_code == 1
    assert f"cards[{index}](id={data['cards'][index]['id']}).pathway" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_cards_command_lists_every_note(content_copy):
    data = starter()
    result = CliRunner().invoke(main, ["cards", str(content_copy)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    assert header.split() == ["ID", "TYPE", "CARDS", "TAGS", "FRONT"]
    assert len(rows) == len(data["cards"]) + len(data["glossary"])
    column = header.index("FRONT")
    for row, item in zip(rows, data["cards"]):
        assert row.startswith(item["id"] + " ")
        assert row[column:] == " ".join((item.get("front") or item["text"]).split())
        assert set(row[header.index("TAGS"):column].split()) == expected_tags(data, item)
        assert row[header.index("TYPE"):header.index("CARDS")].strip() == item["type"]
    for row, entry in zip(rows[len(data["cards"]):], data["glossary"]):
        assert row[column:] == entry["term"]
        assert row[header.index("TYPE"):header.index("CARDS")].strip() == "term"
    total = sum(int(row[header.index("CARDS"):header.index("TAGS")]) for row in rows)
    assert total == expected_card_count(data)


def test_cards_command_bad_content(tmp_path):
    result = CliRunner().invoke(main, ["cards", str(tmp_path / "missing.toml")])
    assert result.exit_code == 1
    assert "no such file" in result.output and "Traceback" not in result.output


def test_changed_content_under_the_same_version_warns(tmp_path):
    data = starter()
    path = write_content(tmp_path / "content", data)
    out = tmp_path / "out"

    def build_cli() -> str:
        result = CliRunner().invoke(main, ["build", str(path), "-o", str(out), "-f", "anki"])
        assert result.exit_code == 0, result.output
        return result.output

    assert "warning" not in build_cli()
    assert "warning" not in build_cli()  # same content, same version: nothing to say
    data["cards"][0]["back"] += " (oxidised form)"
    path = write_content(tmp_path / "content", data)
    first = out.joinpath("nmn-autophagy.apkg").read_bytes()
    output = build_cli()
    assert "warning:" in output and "same version" in output and "Raise [article].version" in output
    assert out.joinpath("nmn-autophagy.apkg").read_bytes() != first  # still written: a warning, not an error
    data["article"]["version"] = "2026-12-01"
    path = write_content(tmp_path / "content", data)
    assert "warning" not in build_cli()
