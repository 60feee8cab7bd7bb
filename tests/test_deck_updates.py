"""Learners who already study a deck: what a new build does to their collection (real Anki importer)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import genanki
import pytest

from generator.build import build
from generator.render import Options
from tests.conftest import CONTENT, ROOT, import_apkg, write_content
from tests.test_anki import note_by_guid

# The deck as released with content version 2026-11-25: content/nmn-autophagy.toml of that
# release built by studygen at the time (every glossary entry gave two cards then).
RELEASED = ROOT / "tests" / "fixtures" / "released" / "nmn-autophagy-2026-11-25.apkg"
RELEASED_VERSION = dt.date(2026, 11, 25)


def answer(col, card_id: int, rating: str = "GOOD") -> None:
    """Study one card as a learner would: show it, then rate it."""
    from anki.scheduler_pb2 import CardAnswer

    card = col.get_card(card_id)
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states,
                                                 rating=getattr(CardAnswer, rating)))


def cards_by_note(col) -> dict[str, list]:
    """Each note's GUID with its cards in template order."""
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[note.guid] = sorted(note.cards(), key=lambda c: c.ord)
    return out


def schedule(card) -> tuple:
    return card.id, card.type, card.queue, card.ivl, card.due, card.reps


def test_learners_of_the_released_deck_keep_their_history(tmp_path):
    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    slug = data["article"]["slug"]
    col, _ = import_apkg(tmp_path / "c.anki2", RELEASED)
    try:
        term_model = col.models.by_name("studygen Term")
        before = cards_by_note(col)
        terms = {guid: cards for guid, cards in before.items()
                 if col.get_note(cards[0].nid).mid == term_model["id"]}
        authored = {guid: cards for guid, cards in before.items() if guid not in terms}
        assert all(len(cards) == 2 for cards in terms.values())  # the released deck's glossary: both ways
        studied = [cards[0].id for cards in list(terms.values())[:6]]  # term -> definition
        studied += [cards[1].id for cards in list(terms.values())[:2]]  # definition -> term
        studied += [card.id for cards in list(authored.values())[:8] for card in cards]
        for card_id in studied:
            answer(col, card_id)
        answer(col, studied[0], "EASY")
        history = {cid: schedule(col.get_card(cid)) for cid in studied}
        assert all(state[3] > 0 or state[1] != 0 for state in history.values())
        revlog = col.db.all("select id, cid, ease, ivl, lastIvl, type from revlog order by id")
        assert len(revlog) == len(studied) + 1
        notetypes = sorted((m["id"], m["name"]) for m in col.models.all())
    finally:
        col.close()

    version = dt.date.fromisoformat(str(data["article"]["version"]))
    data["article"]["version"] = max(version, RELEASED_VERSION + dt.timedelta(days=1)).isoformat()
    path = write_content(tmp_path / "content", data)
    build([path], tmp_path / "out", ["anki"], Options())
    col, log = import_apkg(tmp_path / "c.anki2", tmp_path / "out" / f"{slug}.apkg")
    try:
        assert not log.conflicting
        assert sorted((m["id"], m["name"]) for m in col.models.all()) == notetypes  # no "studygen Term+"
        # Every note learners have that the content still holds is updated in place, not duplicated.
        ours = {genanki.guid_for(slug, c["id"]) for c in data["cards"]}
        ours |= {genanki.guid_for(slug, "glossary", e["term"]) for e in data["glossary"]}
        assert {col.get_note(n.id.nid).guid for n in log.updated} == ours & set(before)
        assert {col.get_note(n.id.nid).guid for n in log.new} == ours - set(before)
        after = cards_by_note(col)
        # Every card of every note learners had is still there, and studied cards keep their schedule.
        for guid, cards in before.items():
            assert [c.id for c in after[guid][:len(cards)]] == [c.id for c in cards]
        assert {cid: schedule(col.get_card(cid)) for cid in studied} == history
        assert col.db.all("select id, cid, ease, ivl, lastIvl, type from revlog order by id") == revlog

        # Definition -> term cards of entries that do not ask for them render empty; Anki's
        # Empty Cards tool lists exactly those, and removing them keeps everything else.
        one_way = {genanki.guid_for(slug, "glossary", e["term"]) for e in data["glossary"] if not e.get("reverse")}
        expected_empty = {after[guid][1].id for guid in one_way if guid in terms}
        report = col.get_empty_cards()
        assert {cid for note in report.notes for cid in note.card_ids} == expected_empty
        assert all(after[guid][1].ord == 1 for guid in one_way if guid in terms)
        col.remove_cards_and_orphaned_notes(list(expected_empty))
        for guid, cards in terms.items():
            assert col.get_card(cards[0].id).nid == cards[0].nid  # term -> definition stays
        for guid, cards in authored.items():
            assert all(col.get_card(c.id) for c in cards)
        kept = {cid: schedule(col.get_card(cid)) for cid in studied if cid not in expected_empty}
        assert kept == {cid: state for cid, state in history.items() if cid not in expected_empty}
        assert col.db.all("select cid from revlog where cid in (%s)" % ",".join(map(str, kept)))
    finally:
        col.close()


def _cli_build(path: Path, out: Path, env: dict | None = None):
    from click.testing import CliRunner

    from generator.cli import main

    return CliRunner().invoke(main, ["build", str(path), "-o", str(out), "-f", "anki"], env=env or {})


def test_a_later_source_date_epoch_updates_notes_without_a_false_warning(tmp_path):
    from tests.conftest import starter

    data = starter()
    out = tmp_path / "out"
    deck = out / "nmn-autophagy.apkg"
    result = _cli_build(write_content(tmp_path / "v1", data), out)
    assert result.exit_code == 0 and "warning" not in result.output
    col, _ = import_apkg(tmp_path / "c.anki2", deck)
    col.close()

    version = dt.datetime.combine(dt.date.fromisoformat(str(data["article"]["version"])), dt.time(),
                                  dt.timezone.utc)
    edited = next(c for c in data["cards"] if c["type"] == "basic")
    later = str(int(version.timestamp()) + 3600)
    edited["back"] = "Edited, built an hour after the version date."
    result = _cli_build(write_content(tmp_path / "v2", data), out, {"SOURCE_DATE_EPOCH": later})
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output  # the package is newer: Anki updates, nothing to warn about
    col, log = import_apkg(tmp_path / "c.anki2", deck)
    try:
        note = note_by_guid(col, genanki.guid_for("nmn-autophagy", edited["id"]))
        assert note.id in {entry.id.nid for entry in log.updated}
        assert note["Back"] == edited["back"]
    finally:
        col.close()

    # Edited again under the same date: the warning is true, Anki skips the edit.
    edited["back"] = "Edited again, same date."
    result = _cli_build(write_content(tmp_path / "v3", data), out, {"SOURCE_DATE_EPOCH": later})
    assert result.exit_code == 0 and "Anki will not update notes" in result.output
    edited["back"] = "Edited after that build, still the same date."
    path = write_content(tmp_path / "v3b", data)
    from click.testing import CliRunner

    from generator.cli import main

    checked = CliRunner().invoke(main, ["check", str(path), "-o", str(out), "-f", "anki", "--strict"],
                                 env={"SOURCE_DATE_EPOCH": later})
    assert checked.exit_code == 1 and "Anki will not update notes" in checked.output
    # An earlier date than the deck it replaces warns as well (and names both dates).
    edited["back"] = "Edited once more, without SOURCE_DATE_EPOCH."
    result = _cli_build(write_content(tmp_path / "v4", data), out)
    assert "Anki will not update notes" in result.output and "not newer" in result.output
    col, log = import_apkg(tmp_path / "c.anki2", deck)
    try:
        assert not log.updated and not log.new
    finally:
        col.close()


@pytest.mark.parametrize("new_type", ["reverse", "cloze"])
def test_a_changed_card_type_stops_the_build_until_the_card_gets_a_new_id(tmp_path, new_type):
    from tests.conftest import starter

    data = starter()
    slug = data["article"]["slug"]
    out = tmp_path / "out"
    deck = out / "nmn-autophagy.apkg"
    assert _cli_build(write_content(tmp_path / "v1", data), out).exit_code == 0
    col, _ = import_apkg(tmp_path / "c.anki2", deck)
    try:
        index, card = next((i, c) for i, c in enumerate(data["cards"]) if c["type"] == "basic")
        old_note = note_by_guid(col, genanki.guid_for(slug, card["id"]))
        (old_card,) = old_note.cards()
        answer(col, old_card.id)
        studied = schedule(col.get_card(old_card.id))
    finally:
        col.close()

    card["type"] = new_type
    if new_type == "cloze":
        card["text"] = f"{card.pop('front')} {{{{c1::{card.pop('back')}}}}}"
    data["article"]["version"] = "2026-12-01"
    released = deck.read_bytes()
    path = write_content(tmp_path / "v2", data)
    result = _cli_build(path, out)
    assert result.exit_code == 1
    assert f"cards[{index}](id={card['id']}).type: '{new_type}'" in result.output
    assert "'basic'" in result.output and "new id" in result.output and "Traceback" not in result.output
    assert deck.read_bytes() == released  # nothing written
    # check compares with the output directory as build does, so check ok => build ok holds
    from click.testing import CliRunner

    from generator.cli import main

    checked = CliRunner().invoke(main, ["check", str(path), "-o", str(out), "-f", "anki"])
    assert checked.exit_code == 1 and f"cards[{index}](id={card['id']}).type" in checked.output
    fresh = CliRunner().invoke(main, ["check", str(path), "-o", str(tmp_path / "elsewhere"), "-f", "anki"])
    assert fresh.exit_code == 0, fresh.output

    # Why: imported as it stands, Anki keeps the old note and skips the changed one.
    assert _cli_build(path, tmp_path / "fresh").exit_code == 0
    col, log = import_apkg(tmp_path / "c.anki2", tmp_path / "fresh" / "nmn-autophagy.apkg")
    try:
        assert [n.fields for n in log.conflicting] and not log.new
        assert len(note_by_guid(col, genanki.guid_for(slug, card["id"])).cards()) == 1
    finally:
        col.close()

    # The way the README gives: a new id arrives as a new note; the old one keeps its history.
    card["id"] += "-v2"
    result = _cli_build(write_content(tmp_path / "v3", data), out)
    assert result.exit_code == 0, result.output
    col, log = import_apkg(tmp_path / "c.anki2", deck)
    try:
        assert len(log.new) == 1 and not log.conflicting
        new_note = note_by_guid(col, genanki.guid_for(slug, card["id"]))
        assert len(new_note.cards()) == (2 if new_type == "reverse" else 1)
        assert schedule(col.get_card(old_card.id)) == studied
    finally:
        col.close()
